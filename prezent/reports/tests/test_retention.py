"""The retention schedule: children whose cases closed and who left school long ago are anonymised in bulk, old
access-log rows deleted and old audit events stripped of personal links; `manage.py apply_retention [--dry-run]`
prints counts only; a weekly Celery task runs it; a run is audited with counts."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prezent.cases.models import Case, CaseNote, CaseStatus, Confidentiality
from prezent.children.cnp import cnp_make
from prezent.children.models import Child, EthnicityDeclaration, Guardian, Guardianship
from prezent.children.tests.factories import ChildFactory, EnrolmentFactory, GuardianFactory
from prezent.core.models import AccessLog, AuditEvent
from prezent.core.testing import TEST_TODAY
from prezent.reports.privacy.retention import RetentionSchedule, years_before
from prezent.reports.privacy.services import ANONYMISED, retention_apply
from prezent.reports.tasks import apply_retention_task

LONG_AGO = datetime.date(2020, 6, 30)  # more than 5 years before the suite's day
NOTE = "Mama lucrează în Italia; bunica are grijă de copii."


def _child_with_closed_case(world, *, closed_on: datetime.date, left_on: datetime.date | None, household=None) -> Child:
    birth = datetime.date(2008, 3, 14)
    child = ChildFactory(
        birth_date=birth, cnp=cnp_make(sex="F", birth_date=birth, county=22, serial=Child.objects.count())
    )
    if household is not None:
        child.household = household
        child.save()
    EnrolmentFactory(child=child, class_group=world.class_b1, start=datetime.date(2018, 9, 10), end=left_on)
    case = Case.objects.create(
        child=child,
        household=child.household,
        school=world.school_b,
        programme=world.programme,
        status=CaseStatus.CLOSED,
        opened_on=datetime.date(2019, 1, 10),
        opened_by=world.users.county,
        legal_basis="public_task",
        legal_basis_note="Dispoziția DGASPC",
        closure_reason="moved_abroad",
        closure_note="Familia a plecat în Spania.",
        closed_on=closed_on,
    )
    CaseNote.objects.create(
        case=case, text=NOTE, confidentiality=Confidentiality.TEAM, written_on=closed_on, author=world.users.county
    )
    return child


@pytest.fixture
def old_child(world) -> Child:
    child = _child_with_closed_case(world, closed_on=LONG_AGO, left_on=LONG_AGO)
    guardian = GuardianFactory(household=child.household, phone="0740111222", email="mama@example.ro")
    Guardianship.objects.create(child=child, guardian=guardian, relationship="mother")
    EthnicityDeclaration.objects.create(child=child, ethnicity="roma", declared_on=datetime.date(2019, 1, 10))
    child.household.address = "Str. Morii 3"
    child.household.save()
    return child


def test_a_child_who_left_long_ago_with_a_closed_case_is_anonymised(world, old_child):
    report = retention_apply(today=TEST_TODAY)
    assert (report.children, report.guardians, report.households, report.cases) == (1, 1, 1, 1)
    child = Child.objects.get(pk=old_child.pk)
    assert (child.first_name, child.last_name, child.cnp) == (ANONYMISED, ANONYMISED, "")
    assert child.birth_date == datetime.date(2008, 1, 1) and child.anonymised_on == TEST_TODAY
    guardian = Guardian.objects.get(guardianship__child=child)
    assert (guardian.last_name, guardian.phone, guardian.email) == (ANONYMISED, "", "")
    assert child.household.__class__.objects.get(pk=child.household_id).address == ""
    case = Case.objects.get(child=child)
    assert (case.legal_basis_note, case.closure_note) == ("", "")
    assert CaseNote.objects.get(case=case).text == ""
    assert not EthnicityDeclaration.objects.filter(child=child).exists()
    # what counts for the programme's figures stays
    assert case.closure_reason == "moved_abroad" and child.enrolments.count() == 1
    event = AuditEvent.objects.get(action="retention.apply")
    assert event.details["children"] == 1 and event.details["texts_blanked"] == 2
    assert old_child.last_name not in str(event.details)
    # a second run finds nothing more
    assert retention_apply(today=TEST_TODAY).children == 0


def test_children_still_within_their_time_stay(world, old_child):
    recent_case = _child_with_closed_case(world, closed_on=datetime.date(2023, 5, 1), left_on=LONG_AGO)
    still_enrolled = _child_with_closed_case(world, closed_on=LONG_AGO, left_on=None)
    left_recently = _child_with_closed_case(world, closed_on=LONG_AGO, left_on=datetime.date(2025, 6, 20))
    assert retention_apply(today=TEST_TODAY).children == 1
    for child in (recent_case, still_enrolled, left_recently, world.child_a1):
        child.refresh_from_db()
        assert child.last_name != ANONYMISED and child.anonymised_on is None
    assert CaseNote.objects.filter(case__child=recent_case, text=NOTE).exists()


def test_a_guardian_and_household_shared_with_a_child_still_here_keep_their_data(world, old_child):
    sibling = world.child_a1
    sibling.household = old_child.household
    sibling.save()
    guardian = Guardian.objects.get(guardianship__child=old_child)
    Guardianship.objects.create(child=sibling, guardian=guardian, relationship="mother")
    report = retention_apply(today=TEST_TODAY)
    assert (report.children, report.guardians, report.households) == (1, 0, 0)
    guardian.refresh_from_db()
    assert guardian.phone == "0740111222" and guardian.last_name != ANONYMISED
    assert old_child.household.__class__.objects.get(pk=old_child.household_id).address == "Str. Morii 3"


def test_old_access_log_rows_are_deleted_and_old_audit_events_lose_personal_links(world):
    old, recent = (
        AccessLog.objects.create(user=world.users.county, child_id=world.child_a1.pk, view="x") for _ in "ab"
    )
    AccessLog.objects.filter(pk=old.pk).update(at=datetime.datetime(2023, 1, 5, tzinfo=datetime.UTC))
    event = AuditEvent.objects.create(
        actor=world.users.county, action="child.update", target_type="children.child", target_id="7", details={"f": 1}
    )
    AuditEvent.objects.filter(pk=event.pk).update(at=datetime.datetime(2021, 1, 5, tzinfo=datetime.UTC))
    report = retention_apply(today=TEST_TODAY)
    assert (report.access_logs_deleted, report.audit_events_stripped) == (1, 1)
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    event.refresh_from_db()
    assert (event.actor_id, event.target_id, event.details, event.action) == (None, "", {}, "child.update")


def test_a_dry_run_counts_and_changes_nothing(world, old_child):
    report = retention_apply(today=TEST_TODAY, dry_run=True)
    assert (report.children, report.guardians, report.texts_blanked, report.ethnicity_declarations) == (1, 1, 2, 1)
    old_child.refresh_from_db()
    assert old_child.last_name != ANONYMISED
    assert CaseNote.objects.filter(text=NOTE).exists()
    assert not AuditEvent.objects.filter(action="retention.apply").exists()


def test_the_command_prints_counts_never_names(world, old_child):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Simulare" in out.getvalue() and "copii anonimizați 1" in out.getvalue()
    assert old_child.last_name not in out.getvalue()
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "copii anonimizați 1" in out.getvalue() and old_child.last_name not in out.getvalue()
    old_child.refresh_from_db()
    assert old_child.last_name == ANONYMISED


def test_a_run_takes_a_fixed_number_of_queries_whatever_the_number_of_children(world, old_child):
    retention_apply(today=TEST_TODAY)  # the first child goes
    _child_with_closed_case(world, closed_on=LONG_AGO, left_on=LONG_AGO)
    with CaptureQueriesContext(connection) as one:
        retention_apply(today=TEST_TODAY)
    for _ in range(3):
        _child_with_closed_case(world, closed_on=LONG_AGO, left_on=LONG_AGO)
    with CaptureQueriesContext(connection) as three:
        assert retention_apply(today=TEST_TODAY).children == 3
    assert len(three) == len(one)


def test_the_weekly_task_is_scheduled_and_runs(world, old_child):
    assert settings.CELERY_BEAT_SCHEDULE["privacy-retention-weekly"]["task"] == apply_retention_task.name
    assert apply_retention_task.delay().get()["children"] == 1


def test_the_schedule_reads_the_settings(settings):
    settings.PREZENT_RETENTION_CLOSED_CASE_YEARS = 7
    cutoffs = RetentionSchedule.from_settings().cutoffs(TEST_TODAY)
    assert cutoffs.closed_case == datetime.date(2019, 11, 29)
    assert years_before(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)
