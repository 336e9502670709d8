"""The cases world: the shared authorization `world` plus a catalogue, consents and cases at each edge of the scope
rules.

- case_a1: child_a1 (teacher's class a1, school a, proposed for the target group), opened by the case worker, with
  an intake, a plan, an intervention, a planned visit, a referral, a team note and a confidential note, and a
  closure requested (so the coordinator has something to approve);
- case_b1: child_b1 in school b (only the county coordinator's scope);
- group_a (school a, child_a1 enrolled) and group_b (school b, child_b1 enrolled): after-school groups meeting on
  weekdays from `monday`.
"""

import datetime
from types import SimpleNamespace

import pytest

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.cases.groups.services import group_create, group_enrol
from prezent.cases.models import Confidentiality, InterventionType
from prezent.cases.services import (
    assessment_record,
    case_close_request,
    case_note_add,
    case_open,
    intervention_record,
    intervention_types_load_defaults,
    plan_create,
    referral_create,
    visit_plan,
)
from prezent.children.models import Consent, Guardianship
from prezent.children.tests.factories import GuardianFactory
from prezent.programme.services import membership_move
from prezent.risk.tests import alert_fixtures

ladder = alert_fixtures.ladder

TEAM_TEXT = "Mama a venit la școală; copilul vine mai des."
SECRET_TEXT = "Tatăl consumă alcool; risc de violență în familie."


def programme_consent(child, *, by, on: datetime.date) -> Consent:
    guardian = GuardianFactory(household=child.household)
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother", is_primary_contact=True)
    return Consent.objects.create(
        child=child,
        guardian=guardian,
        purpose=Consent.Purpose.PROGRAMME,
        legal_basis=Consent.LegalBasis.CONSENT,
        given_on=on,
        recorded_by=by,
    )


def all_needs(level: int = 2) -> dict[str, tuple[int, str]]:
    from prezent.cases.models import Domain

    return dict.fromkeys(Domain.values, (level, ""))


@pytest.fixture
def catalogue(db) -> dict[str, InterventionType]:
    intervention_types_load_defaults(county_code="IS")
    return {t.code: t for t in InterventionType.objects.filter(county_code="IS")}


@pytest.fixture
def cases_world(world, catalogue) -> SimpleNamespace:
    w = world
    w.catalogue = catalogue
    monday = w.monday
    programme_consent(w.child_a1, by=w.users.county, on=monday)
    cw = w.users.caseworker
    w.case_a1 = case_open(child=w.child_a1, opened_on=monday, case_worker=cw, actor=cw)
    assessment_record(case=w.case_a1, assessed_on=monday, needs=all_needs(), risk_factors=["poverty"], actor=cw)
    w.plan_a1 = plan_create(
        case=w.case_a1,
        drawn_up_on=monday,
        goals="Prezență regulată până la sfârșitul modulului.",
        services=[{"type": catalogue["hot-meal"], "responsible": "asistentul social", "target_date": monday}],
        actor=cw,
    )
    w.intervention_a1 = intervention_record(
        case=w.case_a1, kind=catalogue["hot-meal"], delivered_on=monday, recipient="child", quantity=5, actor=cw
    )
    w.visit_a1 = visit_plan(case=w.case_a1, planned_on=monday + datetime.timedelta(days=7), actor=cw)
    w.referral_a1 = referral_create(
        case=w.case_a1, institution="spas", institution_name="SPAS Ciurea", sent_on=monday, reason="ajutor", actor=cw
    )
    for text, level in ((TEAM_TEXT, Confidentiality.TEAM), (SECRET_TEXT, Confidentiality.CONFIDENTIAL)):
        case_note_add(
            case=w.case_a1, text=text, confidentiality=level, written_on=monday, may_write_confidential=True, actor=cw
        )
    case_close_request(case=w.case_a1, reason="regular_attendance", on=monday, actor=cw)
    w.case_a1.refresh_from_db()

    membership_move(
        programme=w.programme,
        child=w.child_b1,
        to_status="proposed",
        on=monday,
        reason="screening",
        actor=w.users.county,
    )
    programme_consent(w.child_b1, by=w.users.county, on=monday)
    w.case_b1 = case_open(child=w.child_b1, opened_on=monday, case_worker=None, actor=w.users.county)
    w.hot_meal = catalogue["hot-meal"]
    w.caseworker2 = UserFactory(username="caseworker2", first_name="Ioana", last_name="Petrescu")
    assign(w.caseworker2, Role.CASE_WORKER, schools=[w.school_a])
    for school, child, attr in ((w.school_a, w.child_a1, "group_a"), (w.school_b, w.child_b1, "group_b")):
        group = group_create(
            school=school,
            name="After-school clasele III–IV",
            kind="after_school",
            kind_type=catalogue["after-school"],
            weekdays=[0, 1, 2, 3, 4],
            start=monday,
            end=datetime.date(2027, 6, 18),
            actor=w.users.county,
        )
        group_enrol(group=group, child_ids=[child.pk], actor=w.users.county)
        setattr(w, attr, group)
    return w
