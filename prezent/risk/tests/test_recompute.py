"""Recomputing scores in bulk: a bounded number of queries, one row per child and date, rule-set versions, the
command, the tasks, and the register / excuse pages that recompute the children they touched."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.models import Absence
from prezent.attendance.services import register_save
from prezent.children.tests.factories import HouseholdFactory, enrol
from prezent.core.models import AuditEvent
from prezent.risk.alerts.services import escalation_ladder_load_defaults
from prezent.risk.defaults import DEFAULT_CRITERIA
from prezent.risk.models import Alert, RiskScore, RuleSet
from prezent.risk.scoring import Bands, Criterion
from prezent.risk.selectors import (
    risk_score_current_for,
    risk_score_history,
    rule_set_bands,
    rule_set_criteria,
    rule_set_current,
)
from prezent.risk.services import risk_defaults_load, risk_recompute, risk_scores_compute, rule_set_new_version
from prezent.risk.tasks import recompute_children_task, recompute_risk_task
from prezent.schools.selectors import calendar_for
from prezent.schools.tests.factories import ClassGroupFactory

ON = datetime.date(2026, 11, 28)
WEEK = [datetime.date(2026, 11, d) for d in (23, 24, 25, 26, 27)]


@pytest.fixture
def teacher(db):
    return UserFactory(username="diriginte")


@pytest.fixture
def group(teacher):
    group = ClassGroupFactory(grade=3, hours_per_day=4, teacher=teacher)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    return group


def _absent_all_week(group, teacher, child_ids):
    for day in WEEK:
        register_save(class_group=group, day=day, absences=dict.fromkeys(child_ids, 4), actor=teacher)


def test_default_rule_set_is_loaded_once_as_version_1(db):
    first = risk_defaults_load(county_code="IS")
    again = risk_defaults_load(county_code="IS")
    assert first.pk == again.pk and first.version == 1
    assert rule_set_criteria(rule_set=first) == list(DEFAULT_CRITERIA)
    assert rule_set_bands(rule_set=first) == Bands(1, 4, 8)
    assert AuditEvent.objects.filter(action="rule_set.new_version").count() == 1


def test_editing_makes_a_new_version_and_keeps_the_old_one(db):
    v1 = risk_defaults_load(county_code="IS")
    actor = UserFactory()
    v2 = rule_set_new_version(
        base=v1,
        county_code="IS",
        name="Reguli 2026",
        criteria=[Criterion("unexcused_year", ">=", 5, 9)],
        bands=Bands(1, 2, 3),
        note="prag mai mic",
        actor=actor,
    )
    assert v2.version == 2 and rule_set_current(county_code="IS") == v2
    assert rule_set_criteria(rule_set=v1) == list(DEFAULT_CRITERIA)
    assert RuleSet.objects.filter(county_code="IS").count() == 2


def test_a_bad_rule_set_is_refused_and_nothing_changes(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rule_set_new_version(
            base=None,
            county_code="IS",
            name="x",
            criteria=[Criterion("unexcused_year", ">=", 5, 1)],
            bands=Bands(5, 3, 8),
            note="",
            actor=None,
        )
    with pytest.raises(ValidationError):
        rule_set_new_version(
            base=None, county_code="IS", name="x", criteria=[Criterion("nope", ">=", 5, 1)], bands=Bands(1, 2, 3),
            note="", actor=None,
        )  # fmt: skip
    assert not RuleSet.objects.exists()


def test_recompute_stores_a_score_with_its_reasons_and_version(group, teacher):
    truant, present = enrol(group, 2)
    _absent_all_week(group, teacher, [truant.pk])
    report = risk_recompute(on=ON, school=group.school)
    assert (report.children, report.schools) == (2, 1)
    score = risk_score_current_for(child=truant)
    assert score is not None and score.rule_set.version == 1 and score.computed_on == ON
    assert score.level == "high"
    texts = [r["text"] for r in score.reasons]
    assert "20 de ore nemotivate în modulul curent (prag: 10)" in texts
    assert score.indicators["streak_days"] == 5.0
    assert risk_score_current_for(child=present).level == "none"
    event = AuditEvent.objects.get(action="risk.recompute")
    assert event.details["children"] == 2 and event.details["by_level"]["high"] == 1
    assert str(truant) not in str(event.details)


def test_a_second_run_on_the_same_day_replaces_the_row_and_history_stays(group, teacher):
    child = enrol(group, 1)[0]
    _absent_all_week(group, teacher, [child.pk])
    risk_recompute(on=WEEK[3], school=group.school)
    risk_recompute(on=ON, school=group.school)
    risk_recompute(on=ON, school=group.school)
    rows = list(risk_score_history(child=child))
    assert [(r.computed_on, r.is_current) for r in rows] == [(ON, True), (WEEK[3], False)]


def test_a_run_for_an_earlier_date_does_not_take_the_current_place(group, teacher):
    child = enrol(group, 1)[0]
    risk_recompute(on=ON, school=group.school)
    risk_recompute(on=WEEK[0], school=group.school)
    assert risk_score_current_for(child=child).computed_on == ON
    assert RiskScore.objects.filter(child=child).count() == 2


def test_a_new_rule_set_version_changes_levels_and_each_score_keeps_its_version(group, teacher):
    child = enrol(group, 1, household=HouseholdFactory(social_benefit=True))[0]
    risk_recompute(on=WEEK[4], school=group.school)
    before = risk_score_current_for(child=child)
    assert (before.level, before.points) == ("low", 1)
    v1 = rule_set_current(county_code="IS")
    rule_set_new_version(
        base=v1,
        county_code="IS",
        name="Sărăcia contează mai mult",
        criteria=[Criterion("social_benefit", "==", 1, 8)],
        bands=Bands(1, 4, 8),
        note="test",
        actor=None,
    )
    risk_recompute(on=ON, school=group.school)
    after = risk_score_current_for(child=child)
    assert (after.level, after.points, after.rule_set.version) == ("high", 8, 2)
    before.refresh_from_db()
    assert (before.rule_set.version, before.level) == (1, "low")


def test_excused_absences_lower_the_score(group, teacher):
    from prezent.attendance.services import absences_excuse

    child = enrol(group, 1)[0]
    _absent_all_week(group, teacher, [child.pk])
    risk_recompute(on=ON, child_ids=[child.pk])
    assert risk_score_current_for(child=child).level == "high"
    absences = list(Absence.objects.filter(child=child).select_related("register_entry__class_group__school_year"))
    absences_excuse(absences=absences, reason="medical", document_date=ON, actor=teacher)
    risk_recompute(on=ON, child_ids=[child.pk])
    score = risk_score_current_for(child=child)
    assert score.level == "low"  # 100 % missed, all excused: attendance points only, never "truant"
    assert score.indicators["unexcused_year"] == 0.0 and score.indicators["attendance_year"] == 0.0


def test_recompute_runs_the_same_number_of_queries_for_3_and_30_children(group, teacher, django_assert_max_num_queries):
    risk_defaults_load(county_code="IS")
    escalation_ladder_load_defaults(county_code="IS")
    few = enrol(group, 3)
    _absent_all_week(group, teacher, [few[0].pk])
    with django_assert_max_num_queries(40) as small:
        risk_recompute(on=ON, school=group.school)
    many = few + enrol(group, 27)
    _absent_all_week(group, teacher, [c.pk for c in many[:12]])
    with django_assert_max_num_queries(40) as large:
        risk_recompute(on=ON, school=group.school)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert RiskScore.objects.filter(is_current=True).count() == 30


def test_recompute_calls_the_ladder(group, teacher):
    escalation_ladder_load_defaults(county_code="IS")
    child = enrol(group, 1)[0]
    _absent_all_week(group, teacher, [child.pk])
    report = risk_recompute(on=ON, school=group.school)
    assert report.alerts_opened == 1
    # a whole week absent: the streak, and a high level — the highest step that triggers is the case file
    assert list(Alert.objects.filter(child=child).values_list("step__code", flat=True)) == ["case-file"]


def test_scores_compute_writes_nothing(group, teacher):
    child = enrol(group, 1)[0]
    _absent_all_week(group, teacher, [child.pk])
    results = risk_scores_compute(child_ids=[child.pk], on=ON, rule_set=risk_defaults_load(county_code="IS"))
    assert results[child.pk].level == "high"
    assert not RiskScore.objects.exists()


def test_children_not_enrolled_anywhere_are_skipped(db):
    from prezent.children.tests.factories import ChildFactory

    child = ChildFactory()
    report = risk_recompute(on=ON, child_ids=[child.pk])
    assert (report.children, report.skipped) == (0, 1)


def test_command_prints_counts_per_school_never_names(group, teacher, capsys):
    children = enrol(group, 2)
    call_command("recompute_risk", "--date", ON.isoformat())
    out = capsys.readouterr().out
    assert f"school #{group.school.pk}: 2 children" in out
    assert "Risk recomputed for 2026-11-28: 2 children in 1 schools" in out
    assert all(c.last_name not in out for c in children)
    call_command("recompute_risk", "--school", str(group.school.pk), "--date", ON.isoformat())
    assert RiskScore.objects.count() == 2


def test_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("recompute_risk", "--date", "28.11.2026")


def test_tasks_run_in_process_without_a_broker(group, teacher):
    child = enrol(group, 1)[0]
    assert recompute_risk_task.delay(school_id=group.school.pk, on=ON.isoformat()).get()["children"] == 1
    assert recompute_children_task.delay(child_ids=[child.pk], on=ON.isoformat()).get()["children"] == 1
    assert RiskScore.objects.filter(child=child).count() == 1


def test_nightly_run_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["risk-recompute-nightly"]
    assert entry["task"] == recompute_risk_task.name


def test_saving_the_register_through_the_page_recomputes_the_touched_child(
    client, group, teacher, django_capture_on_commit_callbacks
):
    absent, present = enrol(group, 2)
    client.force_login(teacher)
    url = reverse("risk:register", kwargs={"pk": group.pk, "day": WEEK[4].isoformat()})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"day_hours": 4, f"absent_{absent.pk}": "on"})
    assert response.status_code == 302
    score = risk_score_current_for(child=absent)
    assert score is not None and score.indicators["unexcused_year"] == 4.0
    assert score.computed_on == timezone.localdate()  # the page recomputes today's score
    assert risk_score_current_for(child=present) is None  # not touched, not recomputed
    event = AuditEvent.objects.get(action="risk.recompute")
    assert event.actor == teacher and event.details["children"] == 1


def test_excusing_through_the_page_recomputes_the_child(client, group, teacher, django_capture_on_commit_callbacks):
    child = enrol(group, 1)[0]
    _absent_all_week(group, teacher, [child.pk])
    risk_recompute(on=ON, child_ids=[child.pk])
    assert risk_score_current_for(child=child).level == "high"
    client.force_login(teacher)
    ids = list(Absence.objects.filter(child=child).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("risk:excuse", kwargs={"child_id": child.pk}),
            {"absence_ids": ids, "reason": "medical", "document_date": ON.isoformat()},
        )
    assert response.status_code == 302
    assert risk_score_current_for(child=child).indicators["unexcused_year"] == 0.0


def test_a_refused_register_recomputes_nothing(client, group, teacher, django_capture_on_commit_callbacks):
    child = enrol(group, 1)[0]
    client.force_login(teacher)
    url = reverse("risk:register", kwargs={"pk": group.pk, "day": WEEK[4].isoformat()})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"day_hours": 4, f"absent_{child.pk}": "on", f"hours_{child.pk}": 7})
    assert response.status_code == 400
    assert callbacks == [] and not RiskScore.objects.exists()


def test_register_today_opens_the_register_page(client, group, teacher):
    client.force_login(teacher)
    response = client.get(reverse("attendance:register_today", kwargs={"pk": group.pk}))
    assert response.status_code == 302
    last_school_day = calendar_for(group.school_year).last_school_days(timezone.localdate(), 1)[-1]
    assert response.url == reverse("risk:register", kwargs={"pk": group.pk, "day": last_school_day.isoformat()})
