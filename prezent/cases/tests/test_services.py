"""Case services: opening needs the target group and consent (or a legal basis), the transition table, closure
approval, and every refusal of bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from prezent.cases.models import Case, CaseStatus, HomeVisit, Intervention, InterventionPlan, PlanReview
from prezent.cases.permissions import CaseAccess
from prezent.cases.selectors import assessment_views, reviews_overdue
from prezent.cases.services import (
    add_months,
    assessment_record,
    case_close_approve,
    case_close_reject,
    case_close_request,
    case_open,
    case_transition,
    intervention_record,
    intervention_remove,
    plan_create,
    plan_review,
    visit_record,
)
from prezent.cases.tests.conftest import all_needs, programme_consent
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_TODAY
from prezent.risk.models import AlertStatus, CloseReason, ContactNote
from prezent.risk.tests.alert_fixtures import make_alert

TODAY = TEST_TODAY
# What `case_access` gives someone who works on the case in the field, and someone who also manages it.
FIELD = CaseAccess(field=True)
MANAGE = CaseAccess(field=True, manage=True)


def _counts():
    return (Case.objects.count(), Intervention.objects.count(), HomeVisit.objects.count(), AuditEvent.objects.count())


def test_opening_needs_the_target_group(world, catalogue):
    programme_consent(world.child_a2, by=world.users.county, on=world.monday)
    with pytest.raises(ValidationError, match="grupul țintă"):
        case_open(child=world.child_a2, opened_on=world.monday, case_worker=None, actor=world.users.county)
    assert not Case.objects.exists()


def test_opening_needs_consent_or_a_justified_legal_basis(world, catalogue):
    w = world
    with pytest.raises(ValidationError) as refused:
        case_open(child=w.child_a1, opened_on=w.monday, case_worker=None, actor=w.users.caseworker)
    assert "consimțământul" in refused.value.message_dict["legal_basis"][0]
    with pytest.raises(ValidationError) as refused:
        case_open(
            child=w.child_a1, opened_on=w.monday, case_worker=None, legal_basis="public_task", actor=w.users.caseworker
        )
    assert "legal_basis_note" in refused.value.message_dict
    assert not Case.objects.exists()
    case = case_open(
        child=w.child_a1,
        opened_on=w.monday,
        case_worker=None,
        legal_basis="vital_interest",
        legal_basis_note="copil lăsat singur acasă",
        actor=w.users.caseworker,
    )
    assert (case.status, case.consent_id, case.household_id) == ("open", None, w.child_a1.household_id)
    event = AuditEvent.objects.get(action="case.open")
    assert event.details["legal_basis"] == "vital_interest" and str(w.child_a1) not in str(event.details)


def test_withdrawn_consent_does_not_count(world, catalogue):
    consent = programme_consent(world.child_a1, by=world.users.county, on=world.monday)
    consent.withdrawn_on = world.monday
    consent.save()
    with pytest.raises(ValidationError):
        case_open(child=world.child_a1, opened_on=world.monday, case_worker=None, actor=world.users.caseworker)


def test_one_open_case_per_child(cases_world):
    w = cases_world
    with pytest.raises(ValidationError, match="deja un caz"):
        case_open(child=w.child_a1, opened_on=w.monday, case_worker=None, actor=w.users.caseworker)
    assert Case.objects.filter(child=w.child_a1).count() == 1


def test_opening_from_an_alert_puts_it_in_progress(world, catalogue, ladder):
    """An alert of another step the case was opened from (a home visit) goes on the case worker's list."""
    w = world
    programme_consent(w.child_a1, by=w.users.county, on=w.monday)
    alert = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday)
    case = case_open(
        child=w.child_a1,
        opened_on=w.monday,
        case_worker=w.users.caseworker,
        source_alert=alert,
        actor=w.users.caseworker,
    )
    alert.refresh_from_db()
    assert (case.source_alert_id, alert.status, alert.assigned_to_id) == (
        alert.pk,
        AlertStatus.IN_PROGRESS,
        w.users.caseworker.pk,
    )


def test_transition_table(cases_world):
    w = cases_world
    case = w.case_b1
    with pytest.raises(ValidationError, match="nu este permisă"):
        case_transition(case=case, to_status="monitoring", on=TODAY, actor=w.users.county)
    with pytest.raises(ValidationError) as refused:
        case_transition(case=case, to_status="closed", on=TODAY, actor=w.users.county)
    assert "to_status" in refused.value.message_dict
    case = case_transition(case=case, to_status="active", on=TODAY, actor=w.users.county)
    case = case_transition(case=case, to_status="monitoring", on=TODAY, actor=w.users.county)
    assert Case.objects.get(pk=case.pk).status == "monitoring"
    assert list(case.steps.values_list("to_status", flat=True)) == ["open", "active", "monitoring"]


def test_closure_needs_the_coordinators_approval_and_reopening_needs_a_reason(cases_world):
    w = cases_world
    case = w.case_b1
    with pytest.raises(ValidationError, match="Nu s-a cerut"):
        case_close_approve(case=case, on=TODAY, actor=w.users.county)
    with pytest.raises(ValidationError) as refused:
        case_close_request(case=case, reason="other", on=TODAY, actor=w.users.county)
    assert "note" in refused.value.message_dict
    case_close_request(case=case, reason="moved_abroad", on=TODAY, actor=w.users.county)
    case_close_reject(case=case, actor=w.users.county)
    assert Case.objects.get(pk=case.pk).closure_requested_on is None
    case_close_request(case=case, reason="moved_abroad", on=TODAY, actor=w.users.county)
    case = case_close_approve(case=case, on=TODAY, actor=w.users.county)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.closure_reason, stored.closure_approved_by_id) == (
        "closed",
        "moved_abroad",
        w.users.county.pk,
    )
    with pytest.raises(ValidationError) as refused:
        case_transition(case=stored, to_status="active", on=TODAY, actor=w.users.county)
    assert "reason" in refused.value.message_dict
    reopened = case_transition(
        case=stored, to_status="active", on=TODAY, reason="absențe din nou", actor=w.users.county
    )
    assert (reopened.status, reopened.closure_reason, reopened.closed_on) == ("active", "", None)


def test_a_closed_case_gets_no_interventions(cases_world):
    w = cases_world
    case_close_approve(case=w.case_a1, on=TODAY, actor=w.users.county)
    before = _counts()
    with pytest.raises(ValidationError, match="închis"):
        intervention_record(
            case=w.case_a1, kind=w.hot_meal, delivered_on=TODAY, recipient="child", quantity=20, actor=w.users.county
        )
    assert _counts() == before


@pytest.mark.parametrize("quantity", [-3, 0])
def test_a_quantity_that_is_not_positive_is_refused(cases_world, quantity):
    w = cases_world
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        intervention_record(
            case=w.case_a1,
            kind=w.hot_meal,
            delivered_on=TODAY,
            recipient="child",
            quantity=quantity,
            actor=w.users.caseworker,
        )
    assert "pozitiv" in refused.value.message_dict["quantity"][0]
    assert _counts() == before


def test_material_help_needs_a_quantity_and_dates_are_checked(cases_world):
    w = cases_world
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        intervention_record(
            case=w.case_a1,
            kind=w.hot_meal,
            delivered_on=TODAY + datetime.timedelta(days=1),
            recipient="child",
            actor=w.users.caseworker,
        )
    assert set(refused.value.message_dict) == {"quantity", "delivered_on"}
    with pytest.raises(ValidationError, match="deschiderea cazului"):
        intervention_record(
            case=w.case_a1,
            kind=w.catalogue["counselling"],
            delivered_on=w.monday - datetime.timedelta(days=1),
            recipient="child",
            actor=w.users.caseworker,
        )
    assert _counts() == before


def test_a_plan_review_before_the_plan_is_refused(cases_world):
    w = cases_world
    plan = w.plan_a1
    with pytest.raises(ValidationError) as refused:
        plan_review(plan=plan, reviewed_on=w.monday - datetime.timedelta(days=1), notes="x", actor=w.users.caseworker)
    assert "înaintea datei planului" in refused.value.message_dict["reviewed_on"][0]
    assert not PlanReview.objects.exists()
    assert InterventionPlan.objects.get(pk=plan.pk).next_review_on == add_months(w.monday, 3)
    review = plan_review(plan=plan, reviewed_on=TODAY, notes="merge", actor=w.users.caseworker)
    assert review.next_review_on == add_months(TODAY, 3)
    assert InterventionPlan.objects.get(pk=plan.pk).next_review_on == review.next_review_on


def test_a_new_plan_replaces_the_current_one_and_services_need_dates_after_it(cases_world):
    w = cases_world
    with pytest.raises(ValidationError, match="Termenul"):
        plan_create(
            case=w.case_a1,
            drawn_up_on=TODAY,
            goals="x",
            services=[{"type": w.hot_meal, "responsible": "a", "target_date": TODAY - datetime.timedelta(days=1)}],
            actor=w.users.caseworker,
        )
    assert InterventionPlan.objects.filter(case=w.case_a1).count() == 1
    plan_create(
        case=w.case_a1,
        drawn_up_on=TODAY,
        goals="y",
        services=[{"type": w.hot_meal, "responsible": "a", "target_date": TODAY}],
        actor=w.users.caseworker,
    )
    assert list(InterventionPlan.objects.filter(case=w.case_a1).values_list("is_current", flat=True)) == [True, False]


def test_overdue_reviews_are_on_the_case_workers_list(cases_world):
    w = cases_world
    InterventionPlan.objects.filter(pk=w.plan_a1.pk).update(next_review_on=TODAY - datetime.timedelta(days=1))
    assert [p.pk for p in reviews_overdue(user=w.users.caseworker, on=TODAY)] == [w.plan_a1.pk]
    assert not reviews_overdue(user=w.users.school_coord, on=TODAY).exists()  # not their case


def test_a_reassessment_compares_with_the_previous_one(cases_world):
    w = cases_world
    needs = all_needs(2)
    needs["education"] = (1, "merge la after-school")
    needs["housing"] = (3, "")
    second = assessment_record(
        case=w.case_a1, assessed_on=TODAY, needs=needs, risk_factors=[], actor=w.users.caseworker
    )
    assert second.kind == "reassessment"
    latest = assessment_views(case=w.case_a1)[0]
    changes = {row.domain: row.change for row in latest.rows}
    assert (changes["education"], changes["housing"], changes["family"]) == ("better", "worse", "same")
    with pytest.raises(ValidationError, match="anterioare"):
        assessment_record(
            case=w.case_a1,
            assessed_on=TODAY - datetime.timedelta(days=1),
            needs=needs,
            risk_factors=[],
            actor=w.users.caseworker,
        )
    assert w.case_a1.assessments.count() == 2


def test_a_home_visit_closes_the_alert_it_answers(cases_world, ladder):
    w = cases_world
    alert = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday)
    visit = visit_record(
        case=w.case_a1,
        visit=w.visit_a1,
        visited_on=TODAY,
        outcome="Mama promite că vine la școală.",
        parent_reached=True,
        alert=alert,
        actor=w.users.caseworker,
    )
    alert.refresh_from_db()
    assert (alert.status, alert.close_reason) == (AlertStatus.CLOSED, CloseReason.FOLLOWED_UP)
    note = ContactNote.objects.get(pk=visit.contact_note_id)
    assert (note.kind, note.alert_id, note.child_id) == ("home_visit", alert.pk, w.child_a1.pk)
    assert HomeVisit.objects.get(pk=w.visit_a1.pk).status == "done"
    assert Intervention.objects.filter(case=w.case_a1, type__code="home-visit", recipient="family").count() == 1


def test_a_visit_for_another_childs_alert_is_refused(cases_world, ladder):
    w = cases_world
    alert = make_alert(w.child_a2, w.school_a, ladder["home-visit"], opened_on=w.monday)
    before = (_counts(), ContactNote.objects.count())
    with pytest.raises(ValidationError):
        visit_record(
            case=w.case_a1, visited_on=TODAY, outcome="x", parent_reached=True, alert=alert, actor=w.users.caseworker
        )
    assert (_counts(), ContactNote.objects.count()) == before
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_first_intervention_makes_an_open_case_active(cases_world):
    w = cases_world
    assert w.case_b1.status == CaseStatus.OPEN
    intervention_record(
        case=w.case_b1, kind=w.catalogue["counselling"], delivered_on=TODAY, recipient="child", actor=w.users.county
    )
    assert Case.objects.get(pk=w.case_b1.pk).status == CaseStatus.ACTIVE


def test_the_recorder_removes_an_intervention_recorded_by_mistake_and_the_audit_keeps_what_it_was(cases_world):
    w = cases_world
    wrong = w.intervention_a1
    intervention_remove(intervention=wrong, reason="duplicate", access=FIELD, actor=w.users.caseworker)
    assert not Intervention.objects.filter(pk=wrong.pk).exists()
    event = AuditEvent.objects.get(action="case.intervention_remove")
    assert event.target_id == str(wrong.pk)
    assert event.details == {
        "case": w.case_a1.pk,
        "type": "hot-meal",
        "delivered_on": w.monday.isoformat(),
        "quantity": 5,
        "recorded_by": w.users.caseworker.pk,
        "reason": "duplicate",
    }
    assert w.child_a1.last_name not in str(event.details)


def test_a_coordinator_removes_an_intervention_someone_else_recorded(cases_world):
    w = cases_world
    intervention_remove(intervention=w.intervention_a1, reason="wrong_child", access=MANAGE, actor=w.users.county)
    assert not Intervention.objects.filter(pk=w.intervention_a1.pk).exists()


@pytest.mark.parametrize(
    ("reason", "access", "who", "message"),
    [
        ("", MANAGE, "county", "motivul"),
        ("mistake", MANAGE, "county", "motivul"),
        ("duplicate", FIELD, "mediator", "Doar cine a înregistrat"),
    ],
)
def test_removing_an_intervention_is_refused_and_nothing_changes(cases_world, reason, access, who, message):
    w = cases_world
    before = _counts()
    with pytest.raises(ValidationError, match=message):
        intervention_remove(intervention=w.intervention_a1, reason=reason, access=access, actor=getattr(w.users, who))
    assert _counts() == before


def test_an_intervention_of_a_closed_case_stays(cases_world):
    w = cases_world
    case_close_approve(case=w.case_a1, on=TODAY, actor=w.users.county)
    before = _counts()
    with pytest.raises(ValidationError, match="închis"):
        intervention_remove(intervention=w.intervention_a1, reason="duplicate", access=MANAGE, actor=w.users.county)
    assert _counts() == before
