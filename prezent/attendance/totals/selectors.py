"""Reads of imported absence totals: the pupils an import may name, the totals already stored, a child's history
and the totals that stand in for the register where a period has none (the results' baseline)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from prezent.accounts.models import User
from prezent.accounts.scope import scope_for
from prezent.attendance.models import AbsenceTotal
from prezent.attendance.rates import AttendanceTotals
from prezent.attendance.selectors import attendance_by_child
from prezent.attendance.totals.periods import month_span
from prezent.attendance.totals.permissions import TOTALS_IMPORTERS
from prezent.children.models import Child, Enrolment
from prezent.schools.models import School, SchoolYear, default_hours_per_day
from prezent.schools.selectors import calendar_for


def import_school_years_for(*, user: User) -> QuerySet[SchoolYear]:
    """The school years a user may import totals into: those of the counties their importing roles reach."""
    scope = scope_for(user)
    counties = set(scope.counties(*TOTALS_IMPORTERS))
    school_ids = scope.school_ids(*TOTALS_IMPORTERS)
    if school_ids:
        counties |= set(School.objects.filter(pk__in=school_ids).values_list("county_code", flat=True))
    return SchoolYear.objects.filter(county_code__in=counties).order_by("-start")


def import_school_ids(*, user: User, school_year: SchoolYear) -> frozenset[int] | None:
    """The schools whose pupils the user may name in an import into the year: None for the whole county (a
    county-wide importing role), else the schools of their school-level assignments."""
    scope = scope_for(user)
    if school_year.county_code in scope.counties(*TOTALS_IMPORTERS):
        return None
    return scope.school_ids(*TOTALS_IMPORTERS)


@dataclass(frozen=True)
class Pupil:
    pk: int
    cnp: str
    last_name: str
    first_name: str
    birth_date: datetime.date
    siiir_codes: frozenset[str]


def pupils_for_import(*, school_year: SchoolYear, school_ids: frozenset[int] | None) -> list[Pupil]:
    """The children an import into the year may name, in one query: enrolled in a school of the year's county (or
    of `school_ids`) at some time since the year started, with the SIIIR codes of those schools."""
    enrolments = Enrolment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=school_year.start),
        class_group__school__county_code=school_year.county_code,
    )
    if school_ids is not None:
        enrolments = enrolments.filter(class_group__school_id__in=school_ids)
    rows = enrolments.order_by().values_list(
        "child_id",
        "child__cnp",
        "child__last_name",
        "child__first_name",
        "child__birth_date",
        "class_group__school__siiir_code",
    )
    found: dict[int, tuple[str, str, str, datetime.date]] = {}
    codes: dict[int, set[str]] = defaultdict(set)
    for child_id, cnp, last, first, birth, siiir in rows:
        found[child_id] = (cnp, last, first, birth)
        codes[child_id].add(siiir)
    return [Pupil(pk, *found[pk], siiir_codes=frozenset(codes[pk])) for pk in found]


def totals_stored(*, school_year: SchoolYear) -> dict[tuple[int, datetime.date | None, int | None], tuple]:
    """The year's stored totals, keyed by (child id, month, module): (pk, excused, unexcused, scheduled)."""
    rows = (
        AbsenceTotal.objects.filter(school_year=school_year)
        .order_by()
        .values_list("pk", "child_id", "month", "module", "excused_hours", "unexcused_hours", "scheduled_hours")
    )
    return {(child, month, module): (pk, e, u, s) for pk, child, month, module, e, u, s in rows}


@dataclass(frozen=True)
class HistoryRow:
    school_year: SchoolYear
    month: datetime.date | None
    module: int | None
    excused: int
    unexcused: int
    scheduled: int | None

    @property
    def total(self) -> int:
        return self.excused + self.unexcused


def _period_span(year: SchoolYear, month: datetime.date | None, module: int | None) -> tuple[datetime.date, ...]:
    if month is not None:
        return month_span(month, start=year.start, end=year.end)
    modules = calendar_for(year).modules
    if module is None or module > len(modules):
        return (year.start, year.end)
    return modules[module - 1]


def child_absence_history(*, child: Child) -> list[HistoryRow]:
    """The child's imported totals for the periods with no register day of the child's classes while enrolled
    (the register, where it was kept, is the record). Oldest year first. Three queries and the calendars."""
    totals = list(
        AbsenceTotal.objects.filter(child=child)
        .select_related("school_year")
        .order_by("school_year__start", "month", "module")
    )
    if not totals:
        return []
    first = min(t.school_year.start for t in totals)
    register_days = _register_days(child, first)
    rows = []
    for total in totals:
        start, end = _period_span(total.school_year, total.month, total.module)
        if any(start <= day <= end for day in register_days):
            continue
        rows.append(
            HistoryRow(
                school_year=total.school_year,
                month=total.month,
                module=total.module,
                excused=total.excused_hours,
                unexcused=total.unexcused_hours,
                scheduled=total.scheduled_hours,
            )
        )
    return rows


def _register_days(child: Child, since: datetime.date) -> set[datetime.date]:
    """The days since `since` on which a class of the child had a register while the child was enrolled in it."""
    day = "class_group__register_entries__date"
    return set(
        Enrolment.objects.filter(child=child, **{f"{day}__gte": since})
        .filter(Q(**{f"{day}__gte": F("start")}), Q(end__isnull=True) | Q(**{f"{day}__lte": F("end")}))
        .values_list(day, flat=True)
        .distinct()
    )


def _hours_per_day(child_ids: list[int], school_year: SchoolYear) -> dict[int, int]:
    """Each child's daily class hours in the year: their class's in that year; without one (the county kept no
    classes in Prezent then), the usual hours of the grade they were in — their first later class's grade less
    the years between. One query."""
    rows = (
        Enrolment.objects.filter(child_id__in=child_ids)
        .order_by("child_id", "start")
        .values_list(
            "child_id",
            "class_group__school_year_id",
            "class_group__school_year__start",
            "class_group__hours_per_day",
            "class_group__grade",
        )
    )
    found: dict[int, int] = {}
    later: dict[int, int] = {}
    for child_id, year_id, year_start, hours, grade in rows:
        if year_id == school_year.pk:
            found[child_id] = hours
        elif year_start > school_year.start and child_id not in later:
            later[child_id] = default_hours_per_day(grade - (year_start.year - school_year.start.year))
    return {child_id: found.get(child_id) or later.get(child_id) or default_hours_per_day(0) for child_id in child_ids}


def imported_attendance_by_child(
    *, child_ids: list[int], school_year: SchoolYear, start: datetime.date, end: datetime.date
) -> dict[int, AttendanceTotals]:
    """The imported totals of the periods that lie wholly in [start, end], per child (children with none are left
    out). A period without scheduled hours in the file gets the year's school days in it (the calendar) times the
    child's daily class hours (`_hours_per_day`): an estimate, as the register would have counted only the days
    it was kept. Two queries and the calendar."""
    rows = list(
        # `or [0]`: an empty list would skip the query, and the number of queries would depend on the data.
        AbsenceTotal.objects.filter(school_year=school_year, child_id__in=child_ids or [0])
        .order_by()
        .values_list("child_id", "month", "module", "excused_hours", "unexcused_hours", "scheduled_hours")
    )
    if not rows:
        return {}
    calendar = calendar_for(school_year)
    per_day: dict[int, int] | None = None
    result: dict[int, AttendanceTotals] = {}
    for child_id, month, module, excused, unexcused, scheduled in rows:
        first, last = _period_span(school_year, month, module)
        if first < start or last > end:
            continue
        if scheduled is None:
            if per_day is None:
                per_day = _hours_per_day(child_ids, school_year)
            scheduled = calendar.count_school_days(first, last) * per_day[child_id]
        totals = AttendanceTotals(scheduled, excused + unexcused, excused)
        result[child_id] = result[child_id] + totals if child_id in result else totals
    return result


def attendance_by_child_or_imported(
    *, child_ids: list[int], school_year: SchoolYear, start: datetime.date, end: datetime.date
) -> dict[int, AttendanceTotals]:
    """`attendance_by_child` over [start, end] of the year; a child with no register hours there gets the imported
    totals of the whole periods inside it instead (the register, where kept, always wins). Four queries at most."""
    totals = attendance_by_child(child_ids=child_ids, start=start, end=end)
    missing = [child_id for child_id, t in totals.items() if t.scheduled_hours <= 0]
    # Always one query (even for no one), so the number of queries does not depend on who lacks a register.
    imported = imported_attendance_by_child(child_ids=missing, school_year=school_year, start=start, end=end)
    totals.update({child_id: t for child_id, t in imported.items() if t.scheduled_hours > 0})
    return totals


def imported_attendance_by_month(
    *, child_ids: QuerySet | list[int], school_year: SchoolYear
) -> dict[datetime.date, AttendanceTotals]:
    """The children's imported monthly totals for the year, pooled per month, counting only the children with no
    register day in the whole year (a child with a register there is read from it, month by month). Totals kept
    by module are left out: a module does not fall into calendar months. Scheduled hours as in
    `imported_attendance_by_child`. One query, and three more when there are totals."""
    day = "class_group__register_entries__date"
    registered = (
        Enrolment.objects.filter(
            child_id__in=child_ids, **{f"{day}__gte": school_year.start, f"{day}__lte": school_year.end}
        )
        .filter(Q(**{f"{day}__gte": F("start")}), Q(end__isnull=True) | Q(**{f"{day}__lte": F("end")}))
        .values("child_id")
    )
    rows = list(
        AbsenceTotal.objects.filter(school_year=school_year, month__isnull=False, child_id__in=child_ids)
        .exclude(child_id__in=registered)
        .order_by()
        .values_list("child_id", "month", "excused_hours", "unexcused_hours", "scheduled_hours")
    )
    if not rows:
        return {}
    calendar = calendar_for(school_year)
    per_day = _hours_per_day(sorted({row[0] for row in rows}), school_year)
    months: dict[datetime.date, AttendanceTotals] = {}
    for child_id, month, excused, unexcused, scheduled in rows:
        assert month is not None  # filtered above
        if scheduled is None:
            first, last = month_span(month, start=school_year.start, end=school_year.end)
            scheduled = calendar.count_school_days(first, last) * per_day[child_id]
        months[month] = months.get(month, AttendanceTotals()) + AttendanceTotals(
            scheduled, excused + unexcused, excused
        )
    return months
