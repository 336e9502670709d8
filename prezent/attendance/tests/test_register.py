import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.models import Absence, RegisterEntry
from prezent.attendance.selectors import (
    attendance_by_child,
    attendance_for_classes,
    attendance_for_school,
    child_absences_by_month,
    register_week_status,
    weekly_absence_summary,
)
from prezent.attendance.services import absences_excuse, register_save
from prezent.children.tests.factories import EnrolmentFactory, enrol
from prezent.core.models import AuditEvent
from prezent.schools.selectors import calendar_for
from prezent.schools.tests.factories import ClassGroupFactory

pytestmark = pytest.mark.django_db

MON = datetime.date(2026, 11, 23)
TUE = datetime.date(2026, 11, 24)
SAT = datetime.date(2026, 11, 28)
TEACHERS_DAY = datetime.date(2026, 10, 5)  # a day off on a weekday inside module 1


@pytest.fixture
def teacher():
    return UserFactory()


@pytest.fixture
def group(teacher):
    group = ClassGroupFactory(hours_per_day=5, teacher=teacher)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    return group


def test_saving_with_no_absences_records_everyone_present(group, teacher):
    children = enrol(group, 3)
    register_save(class_group=group, day=MON, absences={}, actor=teacher)
    totals = attendance_by_child(child_ids=[c.pk for c in children], start=MON, end=MON)
    assert all(t.rate == 1.0 for t in totals.values())
    assert RegisterEntry.objects.filter(class_group=group, date=MON).exists()


def test_a_day_without_register_is_not_recorded_never_present(group):
    child = enrol(group, 1)[0]
    totals = attendance_by_child(child_ids=[child.pk], start=MON, end=TUE)[child.pk]
    assert totals.scheduled_hours == 0
    assert totals.rate is None
    assert totals.percent == "–"


def test_absences_per_hour_give_the_rate_over_days_with_a_register(group, teacher):
    a, b = enrol(group, 2)
    register_save(class_group=group, day=MON, absences={a.pk: 5}, actor=teacher)
    register_save(class_group=group, day=TUE, absences={a.pk: 2, b.pk: 1}, actor=teacher)
    totals = attendance_by_child(child_ids=[a.pk, b.pk], start=MON, end=TUE)
    assert totals[a.pk].scheduled_hours == 10
    assert totals[a.pk].absent_hours == 7
    assert totals[a.pk].rate == pytest.approx(0.3)
    assert totals[b.pk].rate == pytest.approx(0.9)
    by_class = attendance_for_classes(class_ids=[group.pk], start=MON, end=TUE)[group.pk]
    assert (by_class.scheduled_hours, by_class.absent_hours) == (20, 8)
    school = attendance_for_school(school=group.school, start=MON, end=TUE)
    assert (school.scheduled_hours, school.absent_hours, school.unexcused_hours) == (20, 8, 8)


def test_rates_count_only_the_days_a_child_was_enrolled(group, teacher):
    stayer = enrol(group, 1)[0]
    newcomer = EnrolmentFactory(class_group=group, start=TUE).child
    register_save(class_group=group, day=MON, absences={stayer.pk: 1}, actor=teacher)
    register_save(class_group=group, day=TUE, absences={}, actor=teacher)
    totals = attendance_by_child(child_ids=[stayer.pk, newcomer.pk], start=MON, end=TUE)
    assert totals[stayer.pk].scheduled_hours == 10
    assert totals[newcomer.pk].scheduled_hours == 5
    assert attendance_for_classes(class_ids=[group.pk], start=MON, end=TUE)[group.pk].scheduled_hours == 15


def test_resaving_replaces_the_days_absences(group, teacher):
    a, b = enrol(group, 2)
    register_save(class_group=group, day=MON, absences={a.pk: 5, b.pk: 2}, actor=teacher)
    saved = register_save(class_group=group, day=MON, absences={b.pk: 3}, actor=teacher)
    assert not saved.created
    assert dict(Absence.objects.values_list("child_id", "hours")) == {b.pk: 3}
    assert saved.changed_child_ids == {a.pk, b.pk}
    assert RegisterEntry.objects.count() == 1


def test_every_save_is_audited_without_names(group, teacher):
    child = enrol(group, 1)[0]
    register_save(class_group=group, day=MON, absences={child.pk: 2}, actor=teacher)
    event = AuditEvent.objects.get(action="register.save")
    assert event.actor == teacher
    assert child.last_name not in str(event.details)
    assert event.details["added"] == 1


@pytest.mark.parametrize("day", [SAT, TEACHERS_DAY, datetime.date(2026, 10, 28)])
def test_register_refused_on_days_without_school_and_nothing_changes(group, teacher, day):
    child = enrol(group, 1)[0]
    with pytest.raises(ValidationError, match="nu este zi de școală"):
        register_save(class_group=group, day=day, absences={child.pk: 1}, actor=teacher)
    assert RegisterEntry.objects.count() == 0


def test_register_refused_in_the_future(group, teacher):
    with pytest.raises(ValidationError, match="viitor"):
        register_save(class_group=group, day=datetime.date(2027, 3, 2), absences={}, actor=teacher)
    assert RegisterEntry.objects.count() == 0


def test_register_refuses_children_of_another_class_and_too_many_hours(group, teacher):
    child = enrol(group, 1)[0]
    stranger = enrol(ClassGroupFactory(), 1)[0]
    with pytest.raises(ValidationError):
        register_save(class_group=group, day=MON, absences={stranger.pk: 1}, actor=teacher)
    with pytest.raises(ValidationError):
        register_save(class_group=group, day=MON, absences={child.pk: 6}, actor=teacher)
    assert RegisterEntry.objects.count() == 0
    assert Absence.objects.count() == 0


def test_excusing_later_keeps_attendance_but_not_unexcused(group, teacher):
    child = enrol(group, 1)[0]
    register_save(class_group=group, day=MON, absences={child.pk: 5}, actor=teacher)
    absence = Absence.objects.select_related("register_entry__class_group__school_year").get()
    hours = absences_excuse(absences=[absence], reason="medical", document_date=TUE, actor=teacher)
    assert hours == 5
    totals = attendance_by_child(child_ids=[child.pk], start=MON, end=MON)[child.pk]
    assert totals.rate == 0.0
    assert totals.unexcused_hours == 0
    absence.refresh_from_db()
    assert (absence.excused, absence.excuse_reason, absence.document_date, absence.excused_by) == (
        True,
        "medical",
        TUE,
        teacher,
    )
    assert AuditEvent.objects.filter(action="absence.excuse", target_id=str(absence.pk)).exists()


def test_parent_request_quota_is_enforced_with_a_clear_message(group, teacher):
    group.school_year.parent_excuse_quota_hours = 8
    group.school_year.save()
    child = enrol(group, 1)[0]
    for day in (MON, TUE, datetime.date(2026, 11, 25)):
        register_save(class_group=group, day=day, absences={child.pk: 4}, actor=teacher)
    first_two = list(Absence.objects.select_related("register_entry__class_group__school_year").order_by("date")[:2])
    absences_excuse(absences=first_two, reason="parent_request", document_date=TUE, actor=teacher)
    last = Absence.objects.select_related("register_entry__class_group__school_year").get(date="2026-11-25")
    with pytest.raises(ValidationError, match="cel mult 8 ore") as refusal:
        absences_excuse(absences=[last], reason="parent_request", document_date=TUE, actor=teacher)
    assert "mai rămân 0 ore" in str(refusal.value)
    last.refresh_from_db()
    assert not last.excused
    absences_excuse(absences=[last], reason="medical", document_date=TUE, actor=teacher)


def test_excuse_refuses_a_future_document_date_and_changes_nothing(group, teacher):
    child = enrol(group, 1)[0]
    register_save(class_group=group, day=MON, absences={child.pk: 2}, actor=teacher)
    absence = Absence.objects.select_related("register_entry__class_group__school_year").get()
    with pytest.raises(ValidationError):
        absences_excuse(absences=[absence], reason="medical", document_date=datetime.date(2030, 1, 1), actor=teacher)
    absence.refresh_from_db()
    assert not absence.excused


def test_child_absences_by_month_split_excused_and_unexcused(group, teacher):
    child = enrol(group, 1)[0]
    register_save(class_group=group, day=datetime.date(2026, 10, 20), absences={child.pk: 3}, actor=teacher)
    register_save(class_group=group, day=MON, absences={child.pk: 2}, actor=teacher)
    absence = Absence.objects.select_related("register_entry__class_group__school_year").get(date=MON)
    absences_excuse(absences=[absence], reason="medical", document_date=MON, actor=teacher)
    rows = child_absences_by_month(child=child, school_year=group.school_year)
    assert [(r.month.month, r.module, r.excused, r.unexcused) for r in rows] == [(10, 1, 0, 3), (11, 2, 2, 0)]


def test_week_status_and_weekly_summary(group, teacher):
    a, b = enrol(group, 2)
    register_save(class_group=group, day=MON, absences={a.pk: 5, b.pk: 5}, actor=teacher)
    register_save(class_group=group, day=TUE, absences={a.pk: 5}, actor=teacher)
    from prezent.schools.models import ClassGroup

    classes = ClassGroup.objects.filter(pk=group.pk)
    today = datetime.date(2026, 11, 26)
    [week] = register_week_status(classes=classes, day=today, today=today)
    assert [s for _d, s in week.days] == ["taken", "taken", "missing", "missing", "future"]
    [row] = weekly_absence_summary(classes=classes, day=today, threshold_hours=10)
    assert (row.registers_taken, row.absent_hours, row.children_absent, row.children_over_threshold) == (2, 15, 2, 1)


def test_an_absence_excused_meanwhile_is_not_excused_again(group, teacher):
    child = enrol(group, 1)[0]
    register_save(class_group=group, day=MON, absences={child.pk: 4}, actor=teacher)
    stale = Absence.objects.select_related("register_entry__class_group__school_year").get()
    fresh = Absence.objects.select_related("register_entry__class_group__school_year").get()
    absences_excuse(absences=[fresh], reason="medical", document_date=TUE, actor=teacher)
    with pytest.raises(ValidationError, match="cel puțin o absență nemotivată"):
        absences_excuse(absences=[stale], reason="parent_request", document_date=TUE, actor=teacher)
    assert Absence.objects.get().excuse_reason == "medical"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_parent_requests_never_pass_the_quota_together():
    """Fourteen requests of 4 h at once against a 40 h quota: at most ten pass (PostgreSQL, real connections)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter: SQLite runs one write transaction at a time")
    teacher = UserFactory()
    group = ClassGroupFactory(teacher=teacher, hours_per_day=5)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    child = enrol(group, 1)[0]
    days = calendar_for(group.school_year).last_school_days(TUE, 14)
    for day in days:
        register_save(class_group=group, day=day, absences={child.pk: 4}, actor=teacher)
    ids = list(Absence.objects.order_by("date").values_list("pk", flat=True))
    assert len(ids) == 14
    start = threading.Barrier(len(ids))
    outcomes: list[str] = []

    def excuse(absence_id: int) -> None:
        try:
            absence = Absence.objects.select_related("register_entry__class_group__school_year").get(pk=absence_id)
            start.wait()
            absences_excuse(absences=[absence], reason="parent_request", document_date=TUE, actor=teacher)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=excuse, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 10 + ["refused"] * 4
    excused = sum(Absence.objects.filter(excused=True).values_list("hours", flat=True))
    assert excused == 40
