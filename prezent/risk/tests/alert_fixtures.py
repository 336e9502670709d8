"""Shared builders for the alert tests (imported by test_alerts, test_notices, test_worklists, test_authz_alerts)."""

import datetime
from types import SimpleNamespace

import pytest

from prezent.children.models import Consent, Guardianship
from prezent.children.tests.factories import GuardianFactory
from prezent.risk.alerts.services import escalation_ladder_load_defaults
from prezent.risk.models import Alert, AlertStatus, EscalationStep

TODAY = datetime.date(2026, 11, 28)


def steps_by_code(county_code: str = "IS") -> dict[str, EscalationStep]:
    return {s.code: s for s in EscalationStep.objects.filter(county_code=county_code)}


def make_alert(child, school, step: EscalationStep, *, opened_on: datetime.date = TODAY, **fields) -> Alert:
    return Alert.objects.create(
        child=child,
        school=school,
        step=step,
        cause=fields.pop("cause", "12 ore nemotivate în modulul curent (prag: 10)"),
        status=fields.pop("status", AlertStatus.OPEN),
        opened_on=opened_on,
        due_on=fields.pop("due_on", opened_on + datetime.timedelta(days=step.due_days)),
        assignee_role=fields.pop("assignee_role", step.assignee_role),
        **fields,
    )


def add_guardian(child, *, recorded_by, consent: bool, verified: bool, email: str = "") -> object:
    guardian = GuardianFactory(phone="0722000111", phone_verified=verified, email=email)
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother", is_primary_contact=True)
    if consent:
        Consent.objects.create(
            child=child,
            guardian=guardian,
            purpose=Consent.Purpose.CONTACT,
            legal_basis=Consent.LegalBasis.CONSENT,
            given_on=datetime.date(2026, 9, 10),
            recorded_by=recorded_by,
        )
    return guardian


@pytest.fixture
def ladder(db) -> dict[str, EscalationStep]:
    escalation_ladder_load_defaults(county_code="IS")
    return steps_by_code("IS")


@pytest.fixture
def alerts_world(world, ladder) -> SimpleNamespace:
    """The authorization world plus alerts at each edge of the scope rules, and a guardian for child_a1."""
    world.ladder = ladder
    world.alert_a1 = make_alert(world.child_a1, world.school_a, ladder["teacher-talk"])
    world.alert_a1_visit = make_alert(world.child_a1, world.school_a, ladder["home-visit"])
    world.alert_a2 = make_alert(world.child_a2, world.school_a, ladder["teacher-talk"])
    world.alert_b1 = make_alert(world.child_b1, world.school_b, ladder["teacher-talk"])
    world.guardian_a1 = add_guardian(world.child_a1, recorded_by=world.users.county, consent=True, verified=True)
    return world
