"""Continuity of a case: moving it to another case worker, handing it over to the school or SPAS, and referrals
with a due date (the list of unanswered ones, the counts for the results)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.cases.models import Case, CaseAssignment, Referral
from prezent.cases.permissions import can_reassign_case, case_access
from prezent.cases.selectors import (
    case_rows,
    reassign_candidates,
    referral_counts,
    referrals_unanswered,
)
from prezent.cases.services import case_close_request, case_hand_over, case_reassign, referral_create
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_TODAY

TODAY = TEST_TODAY


def _reassign(w, actor, **kwargs):
    case = Case.objects.get(pk=w.case_a1.pk)
    access = case_access(user=actor, case=case)
    data = {"to_worker": w.caseworker2, "on": TODAY, "reason": "concediu de maternitate"} | kwargs
    return case_reassign(case=case, access=access, actor=actor, **data)


# -- moving a case ---------------------------------------------------------------------------------------------


def test_only_the_coordinators_may_move_a_case(cases_world):
    w = cases_world
    case = w.case_a1
    assert can_reassign_case(user=w.users.county, case=case)
    assert can_reassign_case(user=w.users.school_coord, case=case)
    for role in ("caseworker", "teacher", "mediator", "trainer", "me_viewer", "admin", "norole"):
        assert not can_reassign_case(user=getattr(w.users, role), case=case), role
    assert not can_reassign_case(user=w.users.school_coord, case=w.case_b1)  # another school's case


def test_candidates_are_the_case_workers_who_see_the_child(cases_world):
    w = cases_world
    assert list(reassign_candidates(case=w.case_a1)) == [w.caseworker2]  # the current one is left out
    assert list(reassign_candidates(case=w.case_b1)) == []  # nobody works at school b


def test_moving_a_case_moves_it_between_the_lists_and_keeps_the_history(cases_world):
    w = cases_world
    assignment = _reassign(w, w.users.school_coord)
    assert (assignment.from_worker, assignment.to_worker) == (w.users.caseworker, w.caseworker2)
    assert Case.objects.get(pk=w.case_a1.pk).case_worker == w.caseworker2
    assert list(case_rows(user=w.caseworker2, mine=True)) == [w.case_a1]
    assert list(case_rows(user=w.users.caseworker, mine=True)) == []
    # the old case worker still sees the case through their school, only not among theirs
    assert w.case_a1 in case_rows(user=w.users.caseworker)
    event = AuditEvent.objects.get(action="case.reassign")
    assert event.details == {"from": w.users.caseworker.pk, "to": w.caseworker2.pk, "assignment": assignment.pk}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"on": TODAY + datetime.timedelta(days=1)}, "on"),
        ({"on": datetime.date(2026, 1, 1)}, "on"),
    ],
)
def test_a_move_without_reason_or_with_a_bad_date_is_refused(cases_world, kwargs, field):
    with pytest.raises(ValidationError) as error:
        _reassign(cases_world, cases_world.users.county, **kwargs)
    assert field in error.value.error_dict
    assert not CaseAssignment.objects.exists()


def test_a_case_worker_who_does_not_see_the_child_or_the_same_one_is_refused(cases_world):
    w = cases_world
    for worker in (w.users.caseworker, w.users.teacher):
        with pytest.raises(ValidationError) as error:
            _reassign(w, w.users.county, to_worker=worker)
        assert "to_worker" in error.value.error_dict
    with pytest.raises(ValidationError):
        _reassign(w, w.users.caseworker)  # the case worker does not give away their case
    assert Case.objects.get(pk=w.case_a1.pk).case_worker == w.users.caseworker


def test_the_case_page_shows_who_has_the_case_and_who_had_it(client, cases_world):
    w = cases_world
    client.force_login(w.users.school_coord)
    response = client.post(
        reverse("cases:reassign", args=[w.case_a1.pk]),
        {"responsabil-to_worker": w.caseworker2.pk, "responsabil-on": TODAY.isoformat(), "responsabil-reason": "x"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert "În lucru la Ioana Petrescu din 29.11.2026" in page
    assert "înainte la" in page
    client.force_login(w.caseworker2)
    work = client.get(reverse("cases:work"))
    assert [c.pk for c in work.context["my_cases"]] == [w.case_a1.pk]


# -- handing a case over ---------------------------------------------------------------------------------------


def _hand_over(w, actor, **kwargs):
    case = Case.objects.get(pk=w.case_a1.pk)
    data = {
        "to": "spas",
        "institution_name": "SPAS Ciurea",
        "handed_over": "Dosarul, planul, ajutorul social de urmărit.",
        "on": TODAY,
    } | kwargs
    return case_hand_over(case=case, access=case_access(user=actor, case=case), actor=actor, **data)


def test_the_coordinators_handover_to_spas_closes_the_case_with_a_handover_record(cases_world):
    w = cases_world
    case = _hand_over(w, w.users.county)
    assert case.is_closed and case.closure_reason == "handed_spas" and case.closed_on == TODAY
    record = Referral.objects.get(case=case, is_handover=True)
    assert (record.institution, record.institution_name, record.status) == ("spas", "SPAS Ciurea", "closed")
    assert AuditEvent.objects.get(action="case.hand_over").details["to"] == "spas"
    # not a referral waiting for an answer
    assert record not in referrals_unanswered(user=w.users.county, mine=False)


def test_the_case_workers_handover_to_the_school_waits_for_approval(cases_world):
    w = cases_world
    case = _hand_over(w, w.users.caseworker, to="school", institution_name="Școala nr. 1, dirigintele")
    assert not case.is_closed and case.closure_pending
    assert case.closure_reason == "handed_school"
    assert Referral.objects.get(case=case, is_handover=True).institution == "school"


def test_a_handover_without_what_was_handed_over_changes_nothing(cases_world):
    w = cases_world
    with pytest.raises(ValidationError) as error:
        _hand_over(w, w.users.county, handed_over=" ", to="police")
    assert {"handed_over", "to"} <= set(error.value.error_dict)
    assert not Referral.objects.filter(is_handover=True).exists()
    assert not Case.objects.get(pk=w.case_a1.pk).is_closed


def test_a_plain_closure_request_cannot_claim_a_handover(cases_world):
    with pytest.raises(ValidationError) as error:
        case_close_request(case=cases_world.case_a1, reason="handed_spas", on=TODAY, actor=cases_world.users.county)
    assert "reason" in error.value.error_dict


def test_the_case_page_shows_the_handover(client, cases_world):
    w = cases_world
    client.force_login(w.users.county)
    response = client.post(
        reverse("cases:hand_over", args=[w.case_a1.pk]),
        {
            "predare-to": "spas",
            "predare-institution_name": "SPAS Ciurea",
            "predare-handed_over": "Dosarul.",
            "predare-on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert "predat SPAS" in page and "predarea cazului" in page


# -- referrals with a due date ---------------------------------------------------------------------------------


def test_a_referral_is_due_30_days_after_it_was_sent_unless_another_date_is_given(cases_world):
    w = cases_world
    assert w.referral_a1.due_on == w.monday + datetime.timedelta(days=30)
    other = referral_create(
        case=w.case_a1,
        institution="dgaspc",
        institution_name="DGASPC Iași",
        sent_on=w.monday,
        reason="protecție",
        due_on=w.monday + datetime.timedelta(days=3),
        actor=w.users.caseworker,
    )
    assert other.due_on == datetime.date(2026, 11, 26)
    with pytest.raises(ValidationError) as error:
        referral_create(
            case=w.case_a1,
            institution="dgaspc",
            institution_name="DGASPC Iași",
            sent_on=w.monday,
            reason="x",
            due_on=w.monday - datetime.timedelta(days=1),
            actor=w.users.caseworker,
        )
    assert "due_on" in error.value.error_dict


def _referral(w, days_due: int, *, sent=None) -> Referral:
    sent = sent or w.monday
    return referral_create(
        case=w.case_a1,
        institution="health",
        institution_name=f"Dispensar {days_due}",
        sent_on=sent,
        reason="consult",
        due_on=sent + datetime.timedelta(days=days_due),
        actor=w.users.caseworker,
    )


def test_unanswered_referrals_come_overdue_first_for_my_cases_and_for_the_coordinators_scope(cases_world):
    w = cases_world
    overdue = _referral(w, 2)
    answered = _referral(w, 1)
    Referral.objects.filter(pk=answered.pk).update(status="answered", answered_on=w.monday)
    mine = list(referrals_unanswered(user=w.users.caseworker))
    assert mine == [overdue, w.referral_a1]
    assert overdue.is_overdue(TODAY) and not w.referral_a1.is_overdue(TODAY)
    assert list(referrals_unanswered(user=w.caseworker2)) == []  # not theirs
    assert list(referrals_unanswered(user=w.users.school_coord, mine=False)) == mine


def test_the_work_pages_list_unanswered_referrals(client, cases_world):
    w = cases_world
    _referral(w, 2)
    client.force_login(w.users.caseworker)
    page = client.get(reverse("cases:work"))
    assert len(page.context["referrals"]) == 2 and not page.context["referrals_wide"]
    html = page.content.decode()
    assert "Sesizările mele fără răspuns" in html and "depășit" in html
    client.force_login(w.users.county)
    page = client.get(reverse("cases:work"))
    assert page.context["referrals_wide"] and len(page.context["referrals"]) == 2


def test_the_work_page_runs_the_same_queries_for_2_and_30_referrals(client, cases_world, django_assert_num_queries):
    w = cases_world
    _referral(w, 2)
    client.force_login(w.users.county)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:work"))
    for days in range(3, 31):
        _referral(w, days)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("cases:work"))
    assert len(response.context["referrals"]) == 30


def test_referral_counts_for_the_results(cases_world):
    w = cases_world
    _referral(w, 2)  # overdue
    answered = _referral(w, 10)
    Referral.objects.filter(pk=answered.pk).update(status="answered", answered_on=w.monday)
    _hand_over(w, w.users.county)  # not counted
    counts = referral_counts(start=w.monday, end=TODAY, on=TODAY)
    assert (counts.sent, counts.answered, counts.overdue) == (3, 1, 1)


def test_children_handed_over_for_the_results(cases_world):
    from prezent.cases.selectors import children_handed_over

    w = cases_world
    _hand_over(w, w.users.county, to="school")
    assert children_handed_over(start=w.monday, end=TODAY) == {w.child_a1.pk: "handed_school"}
    assert children_handed_over(start=TODAY + datetime.timedelta(days=1), end=TODAY + datetime.timedelta(days=9)) == {}


def test_the_home_page_counts_the_referrals_waiting(client, cases_world):
    w = cases_world
    _referral(w, 2)
    client.force_login(w.users.caseworker)
    waiting = client.get(reverse("home")).context["referrals_waiting"]
    assert (waiting.total, waiting.overdue) == (2, 1)
    html = client.get(reverse("home")).content.decode()
    assert "2 sesizări așteaptă răspunsul instituțiilor" in html and "1 cu termenul depășit" in html
    client.force_login(w.users.teacher)
    assert "referrals_waiting" not in client.get(reverse("home")).context


def test_the_due_date_of_a_waiting_referral_can_be_moved_and_is_audited(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    new_due = w.monday + datetime.timedelta(days=45)
    url = reverse("cases:referral_due", args=[w.referral_a1.pk])
    assert client.post(url, {f"t{w.referral_a1.pk}-due_on": new_due.isoformat()}).status_code == 302
    assert Referral.objects.get(pk=w.referral_a1.pk).due_on == new_due
    assert AuditEvent.objects.get(action="case.referral_due").details["to"] == new_due.isoformat()
    before = (w.monday - datetime.timedelta(days=1)).isoformat()
    assert client.post(url, {f"t{w.referral_a1.pk}-due_on": before}).status_code == 400
    assert Referral.objects.get(pk=w.referral_a1.pk).due_on == new_due
