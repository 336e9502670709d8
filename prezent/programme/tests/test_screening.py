"""Screening into the programme: run, decide, compare, the pages, and "class teachers see only confirmed flags"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.services import register_save
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.programme.models import (
    MembershipStatus,
    MembershipStep,
    Screening,
    ScreeningDecision,
    ScreeningResult,
    ScreeningStatus,
    TargetGroupMembership,
)
from prezent.programme.screening.logic import (
    LEVEL_ORDER,
    Mark,
    outcome_for,
    screening_diff,
)
from prezent.programme.screening.selectors import risk_flag_for_user, risk_flags_for_children
from prezent.programme.screening.services import (
    CHUNK,
    screening_compare,
    screening_decide,
    screening_execute,
    screening_run,
    screening_start,
)
from prezent.programme.services import membership_move
from prezent.programme.tasks import screening_execute_task
from prezent.programme.tests.screening_fixtures import MONDAY, TODAY, make_result, make_screening
from prezent.risk.models import RiskScore
from prezent.schools.tests.factories import ClassGroupFactory

STATUSES = ["", "screened", "proposed", "included", "exited"]
CONFIRM_BUTTON = 'name="decision" value="confirmed"'
THRESHOLDS = ["low", "medium", "high"]


# ---------------------------------------------------------------------------------------------------------------
# The rules on plain values


@given(st.sampled_from(LEVEL_ORDER), st.sampled_from(THRESHOLDS), st.sampled_from(STATUSES))
def test_an_outcome_never_demotes_and_moves_only_new_or_screened_children(level, threshold, status):
    outcome = outcome_for(level=level, threshold=threshold, membership_status=status)
    above = LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(threshold)
    if not above:
        assert outcome.decision == ScreeningDecision.NOT_PROPOSED
        assert not outcome.move_to_proposed
    elif status == "included":
        assert outcome.decision == ScreeningDecision.IN_GROUP
    else:
        assert outcome.decision == ScreeningDecision.PROPOSED
    assert outcome.move_to_proposed == (above and status in ("", "screened"))


def test_no_risk_is_never_proposed_even_with_the_lowest_threshold():
    assert outcome_for(level="none", threshold="low", membership_status="").decision == "not_proposed"


marks = st.dictionaries(
    st.integers(min_value=1, max_value=30),
    st.builds(Mark, level=st.sampled_from(LEVEL_ORDER), flagged=st.booleans()),
    max_size=20,
)


@given(marks, marks)
def test_a_diff_puts_each_child_in_consistent_lists(earlier, later):
    diff = screening_diff(earlier=earlier, later=later)
    assert not set(diff.newly_proposed) & set(diff.no_longer_proposed)
    assert not set(diff.level_up) & set(diff.level_down)
    assert set(diff.only_earlier) == set(earlier) - set(later)
    assert set(diff.only_later) == set(later) - set(earlier)
    assert all(later[c].flagged for c in diff.newly_proposed)
    assert all(earlier[c].flagged and not later[c].flagged for c in diff.no_longer_proposed)
    assert diff.counts()["level_changed"] == len(diff.level_up) + len(diff.level_down)


def test_a_diff_by_example():
    earlier = {1: Mark("medium", True), 2: Mark("low", False), 3: Mark("high", True), 4: Mark("medium", True)}
    later = {1: Mark("medium", True), 2: Mark("high", True), 3: Mark("low", False), 5: Mark("medium", True)}
    diff = screening_diff(earlier=earlier, later=later)
    assert diff.newly_proposed == [2, 5]
    assert diff.no_longer_proposed == [3]
    assert (diff.level_up, diff.level_down) == ([2], [3])
    assert (diff.only_earlier, diff.only_later) == ([4], [5])


# ---------------------------------------------------------------------------------------------------------------
# Running a screening


def _status(programme, child) -> str:
    membership = TargetGroupMembership.objects.filter(programme=programme, child=child).first()
    return membership.status if membership else ""


def test_run_proposes_only_children_at_or_above_the_threshold_with_their_reasons(world, rule_set, engine):
    w = world
    engine.set(w.child_a1_other, "high")
    engine.set(w.child_a2, "medium")
    engine.set(w.child_b1, "low")
    screening = screening_run(programme=w.programme, schools=[w.school_a, w.school_b], on=MONDAY, actor=w.users.county)
    results = {r.child_id: r for r in screening.results.all()}
    assert set(results) == {w.child_a1.pk, w.child_a1_other.pk, w.child_a2.pk, w.child_b1.pk}
    assert results[w.child_a1_other.pk].decision == ScreeningDecision.PROPOSED
    assert results[w.child_a2.pk].decision == ScreeningDecision.PROPOSED
    assert results[w.child_b1.pk].decision == ScreeningDecision.NOT_PROPOSED
    assert results[w.child_a1.pk].decision == ScreeningDecision.NOT_PROPOSED
    assert results[w.child_a2.pk].reason_texts[0] == "14 ore nemotivate în modulul curent (prag: 10)"
    assert results[w.child_a2.pk].points == 5
    assert results[w.child_a2.pk].class_group == w.class_a2
    assert _status(w.programme, w.child_a2) == MembershipStatus.PROPOSED
    assert _status(w.programme, w.child_b1) == ""
    step = MembershipStep.objects.get(membership__child=w.child_a2)
    assert step.to_status == "proposed" and step.actor == w.users.county
    assert "risc mediu, 5 puncte" in step.reason and "14 ore nemotivate" in step.reason
    assert screening.rule_set == rule_set
    assert (screening.children_scored, screening.children_proposed, screening.children_in_group) == (4, 2, 0)
    event = AuditEvent.objects.get(action="screening.run")
    assert event.details["proposed"] == 2 and event.details["moved_to_proposed"] == 2
    assert AuditEvent.objects.filter(action="target_group.move", details__screening=screening.pk).count() == 2


def test_a_higher_threshold_proposes_fewer(world, rule_set, engine):
    w = world
    engine.set(w.child_a1_other, "high")
    engine.set(w.child_a2, "medium")
    screening = screening_run(
        programme=w.programme, schools=[w.school_a], on=MONDAY, actor=w.users.county, threshold_level="high"
    )
    proposed = set(screening.results.filter(decision="proposed").values_list("child_id", flat=True))
    assert proposed == {w.child_a1_other.pk}
    assert _status(w.programme, w.child_a2) == ""


def test_run_never_demotes_included_children_and_keeps_earlier_proposals(world, rule_set, engine):
    w = world
    membership_move(programme=w.programme, child=w.child_a1, to_status="included", on=MONDAY, reason="da", actor=None)
    membership_move(
        programme=w.programme, child=w.child_a2, to_status="screened", on=MONDAY, reason="listă", actor=None
    )
    membership_move(
        programme=w.programme, child=w.child_b1, to_status="proposed", on=MONDAY, reason="școala", actor=None
    )
    engine.set(w.child_a1, "high")
    engine.set(w.child_a2, "medium")
    engine.set(w.child_b1, "none")
    screening = screening_run(programme=w.programme, schools=[w.school_a, w.school_b], on=MONDAY, actor=w.users.county)
    decisions = dict(screening.results.values_list("child_id", "decision"))
    assert decisions[w.child_a1.pk] == ScreeningDecision.IN_GROUP
    assert decisions[w.child_a2.pk] == ScreeningDecision.PROPOSED
    assert decisions[w.child_b1.pk] == ScreeningDecision.NOT_PROPOSED
    assert _status(w.programme, w.child_a1) == "included"
    assert _status(w.programme, w.child_a2) == "proposed"
    assert _status(w.programme, w.child_b1) == "proposed"  # a screening never takes back a proposal
    assert screening.results.get(child=w.child_a2).status_before == "screened"
    assert MembershipStep.objects.filter(membership__child=w.child_a2, from_status="screened").count() == 1
    assert MembershipStep.objects.filter(membership__child=w.child_a1).count() == 2  # no step added


def test_a_child_who_left_is_proposed_in_the_screening_only(world, rule_set, engine):
    w = world
    membership_move(programme=w.programme, child=w.child_a1, to_status="included", on=MONDAY, reason="da", actor=None)
    membership_move(programme=w.programme, child=w.child_a1, to_status="exited", on=MONDAY, reason="plecat", actor=None)
    engine.set(w.child_a1, "high")
    screening = screening_run(programme=w.programme, schools=[w.school_a], on=MONDAY, actor=w.users.county)
    result = screening.results.get(child=w.child_a1)
    assert result.decision == ScreeningDecision.PROPOSED
    assert _status(w.programme, w.child_a1) == "exited"
    screening_decide(result=result, decision="confirmed", reason="Familia s-a întors", actor=w.users.county)
    assert _status(w.programme, w.child_a1) == "included"


def test_run_refuses_schools_outside_the_programme_and_future_dates(world, rule_set, engine):
    w = world
    w.programme.schools.set([w.school_a])
    with pytest.raises(ValidationError):
        screening_run(programme=w.programme, schools=[w.school_b], on=MONDAY, actor=w.users.county)
    with pytest.raises(ValidationError):
        screening_run(programme=w.programme, schools=[], on=MONDAY, actor=w.users.county)
    with pytest.raises(ValidationError):
        screening_run(programme=w.programme, schools=[w.school_a], on=datetime.date(2099, 1, 1), actor=w.users.county)
    assert not Screening.objects.exists()


def test_run_skips_children_not_enrolled_on_the_date(world, rule_set, engine):
    w = world
    enrolment = w.child_a2.enrolments.get()
    enrolment.end = MONDAY - datetime.timedelta(days=3)
    enrolment.end_reason = "moved_school"
    enrolment.save()
    screening = screening_run(programme=w.programme, schools=[w.school_a], on=MONDAY, actor=w.users.county)
    assert w.child_a2.pk not in set(screening.results.values_list("child_id", flat=True))


def test_run_queries_do_not_grow_with_the_children(world, rule_set, engine, django_assert_max_num_queries):
    """3 children with one proposal, then 63 with 61 proposals: the same queries (one chunk)."""
    w = world
    engine.set(w.child_a2, "medium")
    with django_assert_max_num_queries(25) as small:
        screening_run(programme=w.programme, schools=[w.school_a], on=MONDAY, actor=w.users.county)
    big = ClassGroupFactory(school=w.school_b, grade=5)
    for child in enrol(big, 60):
        engine.set(child, "medium")
    engine.set(w.child_a1_other, "high")
    with django_assert_max_num_queries(25) as large:
        screening_run(programme=w.programme, schools=[w.school_a, w.school_b], on=MONDAY, actor=w.users.county)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_run_works_in_chunks(world, rule_set, engine, monkeypatch):
    monkeypatch.setattr("prezent.programme.screening.services.CHUNK", 2)
    w = world
    engine.set(w.child_a2, "high")
    engine.set(w.child_b1, "high")
    screening = screening_run(programme=w.programme, schools=[w.school_a, w.school_b], on=MONDAY, actor=w.users.county)
    assert engine.calls == [2, 2]
    assert screening.results.count() == 4 and screening.children_proposed == 2
    assert CHUNK >= 500


def test_run_with_the_real_engine_proposes_the_absent_child(world):
    """End to end with the county's default rules: a child absent, unexcused, three whole school days in a row."""
    w = world
    days = [datetime.date(2026, 11, 16) + datetime.timedelta(days=n) for n in range(5)]
    for day in [*days, MONDAY, MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=2)]:
        absences = {w.child_a1_other.pk: w.class_a1.hours_per_day} if day >= MONDAY else {}
        register_save(class_group=w.class_a1, day=day, absences=absences, actor=w.users.teacher)
    screening = screening_run(
        programme=w.programme, schools=[w.school_a], on=MONDAY + datetime.timedelta(days=2), actor=w.users.county
    )
    result = screening.results.get(child=w.child_a1_other)
    assert result.decision == ScreeningDecision.PROPOSED, (result.level, result.reason_texts)
    assert any("nemotivat" in text for text in result.reason_texts)
    assert screening.results.get(child=w.child_a2).decision == ScreeningDecision.NOT_PROPOSED
    assert screening.rule_set.version == 1


# ---------------------------------------------------------------------------------------------------------------
# Deciding


@pytest.fixture
def proposed(world, rule_set, engine):
    """child_a1 was already proposed (world); child_a2 is newly proposed by a screening."""
    engine.set(world.child_a1, "medium")
    engine.set(world.child_a2, "high")
    screening = screening_run(programme=world.programme, schools=[world.school_a], on=MONDAY, actor=world.users.county)
    world.screening = screening
    world.result_a1 = screening.results.get(child=world.child_a1)
    world.result_a2 = screening.results.get(child=world.child_a2)
    return world


def test_confirming_needs_a_reason_and_changes_nothing_without_one(proposed):
    w = proposed
    with pytest.raises(ValidationError):
        screening_decide(result=w.result_a2, decision="confirmed", reason="  ", actor=w.users.county)
    w.result_a2.refresh_from_db()
    assert w.result_a2.decision == ScreeningDecision.PROPOSED
    assert _status(w.programme, w.child_a2) == "proposed"


def test_confirming_includes_the_child(proposed):
    w = proposed
    result = screening_decide(
        result=w.result_a2, decision="confirmed", reason="Discutat cu dirigintele", actor=w.users.county
    )
    assert result.decision == ScreeningDecision.CONFIRMED
    assert (result.decided_by, result.decision_reason) == (w.users.county, "Discutat cu dirigintele")
    assert _status(w.programme, w.child_a2) == "included"
    step = MembershipStep.objects.filter(membership__child=w.child_a2).last()
    assert (step.from_status, step.to_status, step.reason) == ("proposed", "included", "Discutat cu dirigintele")
    assert AuditEvent.objects.filter(action="screening.decide", target_id=str(result.pk)).exists()


def test_dismissing_moves_the_child_back_to_screened(proposed):
    w = proposed
    screening_decide(result=w.result_a1, decision="dismissed", reason="Absențe motivate medical", actor=w.users.county)
    assert _status(w.programme, w.child_a1) == "screened"
    w.result_a1.refresh_from_db()
    assert w.result_a1.decision == ScreeningDecision.DISMISSED


def test_a_decision_is_taken_once(proposed):
    w = proposed
    screening_decide(result=w.result_a2, decision="dismissed", reason="nu", actor=w.users.county)
    with pytest.raises(ValidationError):
        screening_decide(result=w.result_a2, decision="confirmed", reason="da", actor=w.users.county)
    assert _status(w.programme, w.child_a2) == "screened"


def test_dismissing_a_child_included_meanwhile_is_refused(proposed):
    w = proposed
    membership_move(
        programme=w.programme, child=w.child_a2, to_status="included", on=timezone.localdate(), reason="da", actor=None
    )
    with pytest.raises(ValidationError):
        screening_decide(result=w.result_a2, decision="dismissed", reason="nu", actor=w.users.county)
    assert _status(w.programme, w.child_a2) == "included"


def test_an_unknown_decision_is_refused(proposed):
    with pytest.raises(ValidationError):
        screening_decide(result=proposed.result_a2, decision="included", reason="da", actor=proposed.users.county)


# ---------------------------------------------------------------------------------------------------------------
# Comparing


def test_comparison_counts_newly_and_no_longer_proposed_and_level_changes(world, rule_set, engine):
    w = world
    engine.set(w.child_a1, "medium")
    engine.set(w.child_a2, "low")
    engine.set(w.child_b1, "high")
    earlier = screening_run(programme=w.programme, schools=[w.school_a, w.school_b], on=MONDAY, actor=w.users.county)
    engine.set(w.child_a2, "medium")
    engine.set(w.child_b1, "low")
    engine.set(w.child_a1, "high")
    later = screening_run(programme=w.programme, schools=[w.school_a, w.school_b], on=TODAY, actor=w.users.county)
    comparison = screening_compare(earlier=earlier, later=later)
    assert comparison["newly_proposed"] == [w.child_a2.pk]
    assert comparison["no_longer_proposed"] == [w.child_b1.pk]
    assert sorted(comparison["level_changed"]) == sorted([w.child_a1.pk, w.child_a2.pk, w.child_b1.pk])
    assert comparison["counts"]["newly_proposed"] == 1
    assert comparison["counts"]["no_longer_proposed"] == 1
    assert comparison["counts"]["level_changed"] == 3
    assert comparison["counts"]["level_up"] == 2
    # a school coordinator compares only their school's children
    scoped = screening_compare(earlier=earlier, later=later, user=w.users.school_coord)
    assert scoped["no_longer_proposed"] == [] and scoped["newly_proposed"] == [w.child_a2.pk]


# ---------------------------------------------------------------------------------------------------------------
# Class teachers see only confirmed flags


@pytest.fixture
def scored(world, rule_set):
    for child in (world.child_a1, world.child_a1_other):
        RiskScore.objects.create(
            child=child,
            school=world.school_a,
            computed_on=TODAY,
            rule_set=rule_set,
            points=5,
            level="medium",
            reasons=[{"text": "14 ore nemotivate în modulul curent (prag: 10)", "points": 2}],
        )
    return world


def test_teacher_sees_no_flag_before_the_child_is_confirmed(scored):
    w = scored
    assert _status(w.programme, w.child_a1) == "proposed"
    assert risk_flag_for_user(user=w.users.teacher, child=w.child_a1) is None
    assert risk_flags_for_children(user=w.users.teacher, child_ids=[w.child_a1.pk, w.child_a1_other.pk]) == {}


def test_teacher_sees_the_flag_once_the_child_is_confirmed(scored):
    w = scored
    membership_move(programme=w.programme, child=w.child_a1, to_status="included", on=TODAY, reason="da", actor=None)
    flag = risk_flag_for_user(user=w.users.teacher, child=w.child_a1)
    assert flag is not None
    level, reasons = flag.level, flag.reasons
    assert level == "medium" and reasons == ["14 ore nemotivate în modulul curent (prag: 10)"]
    assert flag.label == "risc mediu"
    flags = risk_flags_for_children(user=w.users.teacher, child_ids=[w.child_a1.pk, w.child_a1_other.pk])
    assert set(flags) == {w.child_a1.pk}


@pytest.mark.parametrize("role", ["county", "caseworker", "school_coord", "mediator"])
def test_coordinators_mediators_and_case_workers_see_unconfirmed_flags(scored, role):
    w = scored
    user = getattr(w.users, role)
    assert risk_flag_for_user(user=user, child=w.child_a1_other) is not None
    assert set(risk_flags_for_children(user=user, child_ids=[w.child_a1_other.pk])) == {w.child_a1_other.pk}


@pytest.mark.parametrize("role", ["trainer", "me_viewer", "admin", "norole"])
def test_roles_without_child_data_see_no_flag(scored, role):
    w = scored
    membership_move(programme=w.programme, child=w.child_a1, to_status="included", on=TODAY, reason="da", actor=None)
    assert risk_flag_for_user(user=getattr(w.users, role), child=w.child_a1) is None
    assert risk_flags_for_children(user=getattr(w.users, role), child_ids=[w.child_a1.pk]) == {}


def test_no_score_means_no_flag(world):
    assert risk_flag_for_user(user=world.users.county, child=world.child_b1) is None


# ---------------------------------------------------------------------------------------------------------------
# Pages


def test_run_page_runs_a_screening_of_all_programme_schools(
    client,
    world,
    rule_set,
    engine,
    django_capture_on_commit_callbacks,
):
    """The page starts the screening as a background task; without a broker it runs at once."""
    w = world
    engine.set(w.child_a2, "high")
    client.force_login(w.users.county)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("programme:screening_run"),
            {"all_schools": "on", "run_on": MONDAY.isoformat(), "threshold_level": "medium", "delegate_to_schools": ""},
        )
    assert len(callbacks) == 1
    screening = Screening.objects.get()
    assert screening.status == "done" and screening.children_total == 4
    assert response.status_code == 302 and response.url == screening.get_absolute_url()
    assert set(screening.schools.all()) == {w.school_a, w.school_b}
    assert not screening.delegate_to_schools
    assert screening.results.filter(decision="proposed").count() == 1
    page = client.get(response.url).content.decode()
    assert str(w.child_a2) in page and "Evaluarea rulează" not in page


def test_run_page_over_htmx_redirects_the_client_and_shows_errors_in_place(client, world, rule_set, engine):
    w = world
    client.force_login(w.users.county)
    url = reverse("programme:screening_run")
    bad = client.post(url, {"run_on": "2099-01-01", "threshold_level": "medium"}, headers={"HX-Request": "true"})
    assert bad.status_code == 200 and 'id="run-form"' in bad.content.decode()
    assert "<html" not in bad.content.decode()
    assert not Screening.objects.exists()
    good = client.post(
        url,
        {"schools": [w.school_a.pk], "run_on": MONDAY.isoformat(), "threshold_level": "low"},
        headers={"HX-Request": "true"},
    )
    assert good.headers["HX-Redirect"] == Screening.objects.get().get_absolute_url()


def test_list_page_shows_the_run_form_to_the_county_coordinator_only(client, screening_world):
    w = screening_world
    client.force_login(w.users.county)
    assert "Rulează evaluarea" in client.get(reverse("programme:screening_list")).content.decode()
    client.force_login(w.users.school_coord)
    assert "Rulează evaluarea" not in client.get(reverse("programme:screening_list")).content.decode()


def test_detail_page_groups_proposals_by_school_with_reasons_in_words(client, screening_world):
    w = screening_world
    client.force_login(w.users.county)
    html = client.get(w.screening.get_absolute_url()).content.decode()
    assert w.school_a.name in html and w.school_b.name in html
    assert str(w.child_a1) in html and str(w.child_b1) in html
    assert str(w.child_a2) not in html  # below the threshold: not in the default (pending) list
    assert "14 ore nemotivate în modulul curent (prag: 10)" in html
    assert html.count(CONFIRM_BUTTON) == 2
    filtered = client.get(w.screening.get_absolute_url(), {"scoala": w.school_b.pk, "decizie": "proposed"})
    assert str(w.child_a1) not in filtered.content.decode() and str(w.child_b1) in filtered.content.decode()
    below = client.get(w.screening.get_absolute_url(), {"decizie": "not_proposed"}).content.decode()
    assert str(w.child_a2) in below and CONFIRM_BUTTON not in below


def test_school_coordinator_sees_and_decides_only_their_school(client, screening_world):
    w = screening_world
    client.force_login(w.users.school_coord)
    html = client.get(w.screening.get_absolute_url()).content.decode()
    assert str(w.child_a1) in html and str(w.child_b1) not in html
    assert CONFIRM_BUTTON in html
    kept = client.get(w.screening_kept.get_absolute_url()).content.decode()
    assert str(w.child_a1) in kept and CONFIRM_BUTTON not in kept
    client.force_login(w.users.mediator)
    assert CONFIRM_BUTTON not in client.get(w.screening.get_absolute_url()).content.decode()


def test_decide_page_confirms_and_dismisses(client, screening_world):
    w = screening_world
    client.force_login(w.users.school_coord)
    url = reverse("programme:screening_decide", kwargs={"pk": w.result_a1.pk})
    missing = client.post(url, {"decision": "confirmed", "reason": ""})
    assert missing.status_code == 302
    w.result_a1.refresh_from_db()
    assert w.result_a1.decision == ScreeningDecision.PROPOSED
    response = client.post(url, {"decision": "confirmed", "reason": "Confirmat în consiliul profesoral", "scoala": ""})
    assert response.status_code == 302 and response.url == w.screening.get_absolute_url()
    assert _status(w.programme, w.child_a1) == "included"
    client.force_login(w.users.county)
    url_b = reverse("programme:screening_decide", kwargs={"pk": w.result_b1.pk})
    response = client.post(url_b, {"decision": "dismissed", "reason": "Mutat", "decizie": "proposed", "page": "1"})
    assert response.url == w.screening.get_absolute_url() + "?decizie=proposed&page=1"
    w.result_b1.refresh_from_db()
    assert w.result_b1.decision == ScreeningDecision.DISMISSED


def test_decide_over_htmx_returns_the_updated_card(client, screening_world):
    w = screening_world
    client.force_login(w.users.county)
    url = reverse("programme:screening_decide", kwargs={"pk": w.result_a1.pk})
    empty = client.post(url, {"decision": "confirmed", "reason": ""}, headers={"HX-Request": "true"})
    assert "Scrieți motivul." in empty.content.decode() and CONFIRM_BUTTON in empty.content.decode()
    done = client.post(url, {"decision": "confirmed", "reason": "Da"}, headers={"HX-Request": "true"})
    html = done.content.decode()
    assert f'id="result-{w.result_a1.pk}"' in html and "<html" not in html
    assert "Confirmat" in html and CONFIRM_BUTTON not in html


def _more_results(w, n: int) -> None:
    group = ClassGroupFactory(school=w.school_a, grade=6)
    for child in enrol(group, n):
        make_result(w.screening, child, w.school_a, level="high")


def test_detail_page_runs_a_constant_number_of_queries(client, screening_world, django_assert_max_num_queries):
    w = screening_world
    client.force_login(w.users.school_coord)
    url = w.screening.get_absolute_url()
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _more_results(w, 30)
    with django_assert_max_num_queries(20) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_list_page_runs_a_constant_number_of_queries(client, screening_world, django_assert_max_num_queries):
    w = screening_world
    client.force_login(w.users.county)
    url = reverse("programme:screening_list")
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for _ in range(5):
        make_screening(w, w.rule_set, [w.school_a, w.school_b])
    with django_assert_max_num_queries(20) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_compare_page_lists_children_by_change(client, screening_world, django_assert_max_num_queries):
    w = screening_world
    later = make_screening(w, w.rule_set, [w.school_a, w.school_b])
    make_result(later, w.child_a1, w.school_a, level="low", decision=ScreeningDecision.NOT_PROPOSED)
    make_result(later, w.child_a2, w.school_a, level="high")
    make_result(later, w.child_b1, w.school_b, level="high")
    client.force_login(w.users.county)
    url = reverse("programme:screening_compare")
    params = {"inainte": w.screening.pk, "dupa": later.pk}
    with django_assert_max_num_queries(20) as small:
        html = client.get(url, params).content.decode()
    assert str(w.child_a2) in html and str(w.child_a1) not in html
    no_longer = client.get(url, {**params, "lista": "no_longer_proposed"}).content.decode()
    assert str(w.child_a1) in no_longer
    _more_results(w, 20)
    group = ClassGroupFactory(school=w.school_a, grade=7)
    for child in enrol(group, 20):
        make_result(later, child, w.school_a, level="medium")
    with django_assert_max_num_queries(20) as large:
        client.get(url, {**params, "lista": "only_later"})
    assert len(large.captured_queries) == len(small.captured_queries)


def test_compare_page_with_a_single_screening_says_so(client, world, rule_set):
    make_screening(world, rule_set, [world.school_a])
    client.force_login(world.users.county)
    html = client.get(reverse("programme:screening_compare")).content.decode()
    assert "cel puțin două evaluări" in html


def test_a_school_coordinator_of_another_county_school_sees_nothing(client, screening_world):
    w = screening_world
    other = UserFactory()
    assign(other, Role.SCHOOL_COORDINATOR, schools=[ClassGroupFactory().school])
    client.force_login(other)
    assert client.get(w.screening.get_absolute_url()).status_code == 404
    assert ScreeningResult.objects.filter(screening=w.screening).count() == 3


# ---------------------------------------------------------------------------------------------------------------
# In the background


def test_start_records_a_running_screening_and_the_task_fills_it(
    world, rule_set, engine, django_capture_on_commit_callbacks
):
    w = world
    engine.set(w.child_a2, "high")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        screening = screening_start(programme=w.programme, schools=[w.school_a], on=MONDAY, actor=w.users.county)
    assert callbacks == []  # the service queues nothing: the page hands the screening to the task
    assert screening.status == ScreeningStatus.RUNNING and not screening.results.exists()
    with pytest.raises(ValidationError):  # one screening of a programme at a time
        screening_start(programme=w.programme, schools=[w.school_a], on=MONDAY, actor=w.users.county)
    result = screening_execute_task.delay(screening.pk, w.users.county.pk).get()
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.DONE
    assert result == {"screening": screening.pk, "status": "done", "scored": 3, "proposed": 1}
    assert (screening.children_total, screening.children_scored, screening.children_proposed) == (3, 3, 1)
    assert screening_execute(screening=screening, actor=None) == screening  # a finished screening is left alone


def test_a_failing_run_is_marked_failed_and_keeps_the_chunks_done(world, rule_set, engine, monkeypatch):
    w = world
    monkeypatch.setattr("prezent.programme.screening.services.CHUNK", 2)
    engine.set(w.child_a1_other, "high")
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("engine down")
        return engine(**kwargs)

    monkeypatch.setattr("prezent.programme.screening.services.risk_scores_compute", flaky)
    from prezent.programme.screening.services import _screening_create

    screening = _screening_create(
        programme=w.programme,
        schools=[w.school_a, w.school_b],
        on=MONDAY,
        actor=w.users.county,
        threshold_level="medium",
        delegate_to_schools=True,
    )
    screening = screening_execute(screening=screening, actor=w.users.county)
    assert screening.status == ScreeningStatus.FAILED
    assert (screening.children_total, screening.children_scored) == (4, 2)
    assert AuditEvent.objects.filter(action="screening.failed").exists()


def test_detail_page_shows_progress_while_running_and_refreshes_when_done(client, screening_world):
    w = screening_world
    Screening.objects.filter(pk=w.screening.pk).update(status="running", children_total=40, children_scored=20)
    client.force_login(w.users.county)
    html = client.get(w.screening.get_absolute_url()).content.decode()
    assert "Evaluarea rulează: 20 din 40" in html and 'hx-trigger="every 3s"' in html
    poll = client.get(w.screening.get_absolute_url(), {"progres": "1"}, headers={"HX-Request": "true"})
    assert "20 din 40" in poll.content.decode() and "<html" not in poll.content.decode()
    Screening.objects.filter(pk=w.screening.pk).update(status="done")
    done = client.get(w.screening.get_absolute_url(), {"progres": "1"}, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
