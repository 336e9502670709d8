"""The case worker's work page, siblings seen together, the catalogue the coordinator keeps, referrals, audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prezent.cases.models import InterventionPlan, InterventionType, Referral
from prezent.cases.selectors import case_rows, case_siblings
from prezent.cases.services import (
    case_open,
    intervention_record,
    intervention_type_create,
    intervention_type_set_active,
    referral_answer,
    visit_plan,
)
from prezent.cases.tests.conftest import programme_consent
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory
from prezent.core.models import AuditEvent
from prezent.core.testing import TEST_TODAY
from prezent.programme.services import membership_move

TODAY = TEST_TODAY


def test_work_page_shows_my_cases_overdue_reviews_and_this_weeks_visits(client, cases_world):
    w = cases_world
    InterventionPlan.objects.filter(pk=w.plan_a1.pk).update(next_review_on=TODAY - datetime.timedelta(days=2))
    visit_plan(case=w.case_a1, planned_on=TODAY, actor=w.users.caseworker)
    client.force_login(w.users.caseworker)
    response = client.get(reverse("cases:work"))
    context = response.context
    assert [c.pk for c in context["my_cases"]] == [w.case_a1.pk]
    assert [p.pk for p in context["overdue"]] == [w.plan_a1.pk]
    assert [v.case_id for v in context["visits"]] == [w.case_a1.pk]
    assert context["closures"] == []  # only the county coordinator approves


def test_county_coordinator_sees_closures_to_approve(client, cases_world):
    client.force_login(cases_world.users.county)
    response = client.get(reverse("cases:work"))
    assert [c.pk for c in response.context["closures"]] == [cases_world.case_a1.pk]
    assert 'data-testid="closures"' in response.content.decode()


def test_siblings_cases_are_seen_together(cases_world):
    w = cases_world
    sibling = ChildFactory(household=w.child_a1.household, birth_date=datetime.date(2014, 3, 1))
    EnrolmentFactory(child=sibling, class_group=w.class_a2, start=w.class_a2.school_year.start)
    membership_move(
        programme=w.programme, child=sibling, to_status="proposed", on=w.monday, reason="s", actor=w.users.county
    )
    programme_consent(sibling, by=w.users.county, on=w.monday)
    other = case_open(child=sibling, opened_on=w.monday, case_worker=w.users.caseworker, actor=w.users.caseworker)
    assert [c.pk for c in case_siblings(user=w.users.caseworker, case=w.case_a1)] == [other.pk]
    rows = {c.pk: c.sibling_cases for c in case_rows(user=w.users.caseworker)}
    assert rows[w.case_a1.pk] == 1 and rows[other.pk] == 1
    assert not case_siblings(user=w.users.teacher, case=w.case_a1).exists()  # the sibling is not their pupil


def test_the_catalogue_refuses_a_duplicate_code_and_a_switched_off_type(cases_world):
    w = cases_world
    with pytest.raises(ValidationError):
        intervention_type_create(
            county_code="IS", code="hot-meal", label="Masă", recipient="child", is_material=True, actor=w.users.county
        )
    kind = intervention_type_create(
        county_code="IS",
        code="bike",
        label="Bicicletă",
        recipient="child",
        is_material=True,
        unit="buc.",
        actor=w.users.county,
    )
    intervention_type_set_active(kind=kind, active=False, actor=w.users.county)
    with pytest.raises(ValidationError) as refused:
        intervention_record(
            case=w.case_a1, kind=kind, delivered_on=TODAY, recipient="child", quantity=1, actor=w.users.caseworker
        )
    assert "type" in refused.value.message_dict
    assert not InterventionType.objects.get(pk=kind.pk).is_active


def test_catalogue_page_adds_a_type(client, cases_world):
    client.force_login(cases_world.users.county)
    data = {"code": "bike", "label": "Bicicletă", "recipient": "child", "is_material": "on", "unit": "buc."}
    assert client.post(reverse("cases:catalogue"), data).status_code == 302
    assert InterventionType.objects.get(code="bike").is_material
    response = client.post(reverse("cases:catalogue"), data)
    assert response.status_code == 400 and "Există deja" in response.content.decode()


def test_a_referral_answer_before_it_was_sent_is_refused(cases_world):
    w = cases_world
    with pytest.raises(ValidationError):
        referral_answer(
            referral=w.referral_a1,
            answered_on=w.monday - datetime.timedelta(days=1),
            answer="x",
            actor=w.users.caseworker,
        )
    assert Referral.objects.get(pk=w.referral_a1.pk).status == "sent"
    referral_answer(referral=w.referral_a1, answered_on=TODAY, answer="Preluat.", close=True, actor=w.users.caseworker)
    assert Referral.objects.get(pk=w.referral_a1.pk).status == "closed"


def test_every_change_is_audited_without_names(cases_world):
    w = cases_world
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    expected = {"case.open", "case.assessment", "case.plan", "case.intervention", "case.visit_plan", "case.referral"}
    assert expected | {"case.note", "case.close_request", "case.transition"} <= actions
    details = " ".join(str(d) for d in AuditEvent.objects.values_list("details", flat=True))
    assert w.child_a1.last_name not in details and "alcool" not in details
