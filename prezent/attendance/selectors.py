"""Reads of the class register. Rates count only school days that have a register entry."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import DateField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from prezent.attendance.models import Absence, RegisterEntry
from prezent.attendance.rates import AttendanceTotals
from prezent.children.models import Child, Enrolment
from prezent.schools.calendar import week_days
from prezent.schools.models import ClassGroup, School, SchoolYear
from prezent.schools.selectors import calendar_for


def _register_day_while_enrolled(start: datetime.date, end: datetime.date) -> Q:
    """On Enrolment: join the class's register entries in [start, end] that fall inside the enrolment."""
    day = "class_group__register_entries__date"
    return (
        Q(**{f"{day}__gte": start})
        & Q(**{f"{day}__lte": end})
        & Q(**{f"{day}__gte": F("start")})
        & Q(**{f"{day}__lte": Coalesce(F("end"), Value(end, output_field=DateField()))})
    )


def enrolled_on(*, class_group: ClassGroup, day: datetime.date) -> QuerySet[Child]:
    """The children enrolled in the class on `day`, in register order."""
    return Child.objects.filter(
        Q(enrolments__class_group=class_group),
        Q(enrolments__start__lte=day),
        Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=day),
    ).order_by("last_name", "first_name", "pk")


def register_entry_for(*, class_group: ClassGroup, day: datetime.date) -> RegisterEntry | None:
    return RegisterEntry.objects.filter(class_group=class_group, date=day).first()


def absences_by_child(*, entry: RegisterEntry | None) -> dict[int, Absence]:
    if entry is None:
        return {}
    return {a.child_id: a for a in entry.absences.all()}


def _scheduled_by_child(enrolments: QuerySet[Enrolment], start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Scheduled hours per child: the register entries of their class(es) while they were enrolled."""
    rows = (
        enrolments.filter(_register_day_while_enrolled(start, end))
        .values("child_id")
        .annotate(scheduled=Sum("class_group__register_entries__hours"))
    )
    return {row["child_id"]: row["scheduled"] or 0 for row in rows}


def _absent_by_child(absences: QuerySet[Absence]) -> dict[int, tuple[int, int]]:
    rows = absences.values("child_id").annotate(total=Sum("hours"), excused=Sum("hours", filter=Q(excused=True)))
    return {row["child_id"]: (row["total"] or 0, row["excused"] or 0) for row in rows}


def attendance_by_child(
    *, child_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, AttendanceTotals]:
    """Totals per child over [start, end] in two queries, whatever the number of children."""
    scheduled = _scheduled_by_child(Enrolment.objects.filter(child_id__in=child_ids), start, end)
    absent = _absent_by_child(Absence.objects.filter(child_id__in=child_ids, date__gte=start, date__lte=end))
    return {
        child_id: AttendanceTotals(scheduled.get(child_id, 0), *absent.get(child_id, (0, 0))) for child_id in child_ids
    }


def attendance_for_child(*, child: Child, start: datetime.date, end: datetime.date) -> AttendanceTotals:
    return attendance_by_child(child_ids=[child.pk], start=start, end=end)[child.pk]


def attendance_for_classes(
    *, class_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, AttendanceTotals]:
    """Totals per class: pupil-hours scheduled (each pupil while enrolled) and hours missed. Two queries."""
    scheduled_rows = (
        Enrolment.objects.filter(_register_day_while_enrolled(start, end), class_group_id__in=class_ids)
        .values("class_group_id")
        .annotate(scheduled=Sum("class_group__register_entries__hours"))
    )
    scheduled = {row["class_group_id"]: row["scheduled"] or 0 for row in scheduled_rows}
    absent_rows = (
        Absence.objects.filter(register_entry__class_group_id__in=class_ids, date__gte=start, date__lte=end)
        .values("register_entry__class_group_id")
        .annotate(total=Sum("hours"), excused=Sum("hours", filter=Q(excused=True)))
    )
    absent = {row["register_entry__class_group_id"]: (row["total"] or 0, row["excused"] or 0) for row in absent_rows}
    return {cid: AttendanceTotals(scheduled.get(cid, 0), *absent.get(cid, (0, 0))) for cid in class_ids}


def attendance_for_school(*, school: School, start: datetime.date, end: datetime.date) -> AttendanceTotals:
    """The school's attendance over [start, end]: two aggregate queries."""
    scheduled = Enrolment.objects.filter(
        _register_day_while_enrolled(start, end), class_group__school=school
    ).aggregate(total=Sum("class_group__register_entries__hours"))["total"]
    absent = Absence.objects.filter(
        register_entry__class_group__school=school, date__gte=start, date__lte=end
    ).aggregate(total=Sum("hours"), excused=Sum("hours", filter=Q(excused=True)))
    return AttendanceTotals(scheduled or 0, absent["total"] or 0, absent["excused"] or 0)


@dataclass
class MonthRow:
    month: datetime.date
    module: int | None
    excused: int = 0
    unexcused: int = 0

    @property
    def total(self) -> int:
        return self.excused + self.unexcused


def child_absences_by_month(*, child: Child, school_year: SchoolYear) -> list[MonthRow]:
    """The child's absence hours per month of the school year (with the module the month starts in)."""
    calendar = calendar_for(school_year)
    rows: dict[datetime.date, MonthRow] = {}
    absences = Absence.objects.filter(child=child, date__gte=school_year.start, date__lte=school_year.end).values_list(
        "date", "hours", "excused"
    )
    for day, hours, excused in absences:
        month = day.replace(day=1)
        row = rows.setdefault(month, MonthRow(month=month, module=calendar.module_number(day)))
        if excused:
            row.excused += hours
        else:
            row.unexcused += hours
    return [rows[m] for m in sorted(rows)]


def child_absences_by_module(*, child: Child, school_year: SchoolYear) -> list[MonthRow]:
    calendar = calendar_for(school_year)
    rows = {n: MonthRow(month=start, module=n) for n, (start, _end) in enumerate(calendar.modules, start=1)}
    absences = Absence.objects.filter(child=child, date__gte=school_year.start, date__lte=school_year.end).values_list(
        "date", "hours", "excused"
    )
    for day, hours, excused in absences:
        number = calendar.module_number(day)
        if number is None:
            continue
        if excused:
            rows[number].excused += hours
        else:
            rows[number].unexcused += hours
    return list(rows.values())


def child_unexcused_absences(*, child: Child, school_year: SchoolYear) -> QuerySet[Absence]:
    return Absence.objects.filter(
        child=child, excused=False, date__gte=school_year.start, date__lte=school_year.end
    ).order_by("-date")


def parent_request_hours_used(*, child_ids: list[int], school_year: SchoolYear) -> dict[int, int]:
    rows = (
        Absence.objects.filter(
            child_id__in=child_ids,
            excused=True,
            excuse_reason="parent_request",
            date__gte=school_year.start,
            date__lte=school_year.end,
        )
        .values("child_id")
        .annotate(total=Sum("hours"))
    )
    return {row["child_id"]: row["total"] or 0 for row in rows}


@dataclass
class ClassWeek:
    class_group: ClassGroup
    days: list[tuple[datetime.date, str]]  # (day, "taken" | "missing" | "no_school" | "future")


def register_week_status(*, classes: QuerySet[ClassGroup], day: datetime.date, today: datetime.date) -> list[ClassWeek]:
    """For each class, whether the register was taken on each school day of the week holding `day`."""
    days = week_days(day)
    class_list = list(classes)
    taken = set(
        RegisterEntry.objects.filter(class_group__in=class_list, date__gte=days[0], date__lte=days[-1]).values_list(
            "class_group_id", "date"
        )
    )
    weeks = []
    for group in class_list:
        calendar = calendar_for(group.school_year)
        statuses = []
        for d in days:
            if not calendar.is_school_day(d):
                status = "no_school"
            elif d > today:
                status = "future"
            elif (group.pk, d) in taken:
                status = "taken"
            else:
                status = "missing"
            statuses.append((d, status))
        weeks.append(ClassWeek(class_group=group, days=statuses))
    return weeks


@dataclass
class WeeklySummaryRow:
    class_group: ClassGroup
    registers_taken: int
    absent_hours: int
    excused_hours: int
    children_absent: int
    children_over_threshold: int

    @property
    def unexcused_hours(self) -> int:
        return self.absent_hours - self.excused_hours


def weekly_absence_summary(
    *, classes: QuerySet[ClassGroup], day: datetime.date, threshold_hours: int = 10
) -> list[WeeklySummaryRow]:
    """The mediator's weekly summary: per class, registers taken, hours missed (excused / not), and how many
    children missed `threshold_hours` or more unexcused hours that week. Three queries."""
    days = week_days(day)
    class_list = list(classes)
    ids = [c.pk for c in class_list]
    taken: dict[int, int] = defaultdict(int)
    for class_id in RegisterEntry.objects.filter(
        class_group_id__in=ids, date__gte=days[0], date__lte=days[-1]
    ).values_list("class_group_id", flat=True):
        taken[class_id] += 1
    per_child = (
        Absence.objects.filter(register_entry__class_group_id__in=ids, date__gte=days[0], date__lte=days[-1])
        .values("register_entry__class_group_id", "child_id")
        .annotate(total=Sum("hours"), excused=Sum("hours", filter=Q(excused=True)))
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in per_child:
        bucket = totals[row["register_entry__class_group_id"]]
        excused = row["excused"] or 0
        bucket[0] += row["total"]
        bucket[1] += excused
        bucket[2] += 1
        bucket[3] += int(row["total"] - excused >= threshold_hours)
    return [
        WeeklySummaryRow(group, taken[group.pk], *totals[group.pk])
        if group.pk in totals
        else WeeklySummaryRow(group, taken[group.pk], 0, 0, 0, 0)
        for group in class_list
    ]
