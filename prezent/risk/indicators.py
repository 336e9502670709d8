"""The early-warning indicators of many children for one date, in bulk.

`indicators_for_children` reads a whole school (or county) with a fixed number of queries per chunk of 2,000
children and per school year among them — never one per child — and the arithmetic is in pure functions below.
The nightly run over everyone reads each table once, without id lists (`read_all`). Big result sets are read
without Django's per-value converters (`_rows`): for a county that is most of the time Python would spend.

The rules (DOMAIN.md "Attendance rules", "Early warning"; ARCHITECTURE.md "Attendance storage"):
- Only days with a register count; a day without one is "not recorded", never present. A child whose class has no
  register in a window gets None there (not computable), and None never matches a rule.
- Scheduled hours are the register hours of the child's class(es) while enrolled; absences are the child's own.
- Excused hours count as absent (attendance, chronic absence, trend) but never as unexcused. The full-day streak
  counts unexcused days only: an excused day ends it, so excusing the absences closes the alert they caused.
- Windows end on `on` (or on the last day of the school year): the last 30 school days of the calendar, the
  current module (during a holiday, the module just ended), the school year, this month and the whole previous
  month (both within the school year).
- Results: the latest module of the current school year with any result; failed subjects are averages under 5;
  the module average leaves out conduct ("Purtare"), which is its own indicator.
- Over-age: age on 1 September of the school year minus the grade's age (pregătitoare 6, grade g 6 + g), never
  below 0; preschool groups have none. Repetition: the school years with an enrolment marked "repetent".
- Parents abroad: 1 when both parents or the only parent are abroad (the child is left without a parent at home),
  0.5 when one of two parents is, 0 otherwise (none, or returned); a rule "≥ 1" takes the first, "≥ 0.5" both.
- Household circumstances are None when the child has no household record (unknown is not "no").
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, Count, F, IntegerField, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from prezent.attendance.models import CONDUCT_SUBJECT, Absence, ModuleResult, RegisterEntry
from prezent.children.models import Child, Enrolment, ParentsAbroad
from prezent.risk.models import Indicator
from prezent.schools.calendar import Calendar
from prezent.schools.models import Level, SchoolYear
from prezent.schools.selectors import calendar_for

CHUNK = 2000  # children per batch: well under SQLite's parameter limit, and a few MB of rows at most
PARTIAL_CHUNK = 5000  # enrolments that do not cover the whole period (moves, late enrolments), per query
RECENT_SCHOOL_DAYS = 30
FAILING_AVERAGE = 5
WINDOWS = ("recent", "module", "year", "month", "previous_month")
INDICATORS: tuple[str, ...] = tuple(str(value) for value in Indicator.values)

Span = tuple[datetime.date, datetime.date]  # both days included


# ---------------------------------------------------------------------------------------------------------------
# Pure arithmetic


@dataclass(frozen=True)
class Windows:
    """The date spans of the attendance windows for one school year and date; None when a span is empty."""

    end: datetime.date
    recent: Span | None = None
    module: Span | None = None
    year: Span | None = None
    month: Span | None = None
    previous_month: Span | None = None

    def spans(self) -> dict[str, Span]:
        return {name: span for name in WINDOWS if (span := getattr(self, name)) is not None}

    @property
    def first_day(self) -> datetime.date | None:
        starts = [span[0] for span in self.spans().values()]
        return min(starts) if starts else None


def windows_for(calendar: Calendar, year_start: datetime.date, year_end: datetime.date, on: datetime.date) -> Windows:
    """The windows ending on `on` (or on the year's last day), all inside the school year."""
    end = min(on, year_end)
    if end < year_start:
        return Windows(end=end)
    recent_days = calendar.last_school_days(end, RECENT_SCHOOL_DAYS)
    started = [(start, stop) for start, stop in calendar.modules if start <= end]
    module = (started[-1][0], min(started[-1][1], end)) if started else None
    month_start = max(end.replace(day=1), year_start)
    previous_end = end.replace(day=1) - datetime.timedelta(days=1)
    previous = (max(previous_end.replace(day=1), year_start), previous_end) if previous_end >= year_start else None
    return Windows(
        end=end,
        recent=(recent_days[0], end) if recent_days else None,
        module=module,
        year=(year_start, end),
        month=(month_start, end),
        previous_month=previous,
    )


class Hours(NamedTuple):
    """A child's hours in one window: scheduled (register hours while enrolled), absent (any reason), unexcused."""

    scheduled: int = 0
    absent: int = 0
    unexcused: int = 0


NO_HOURS = Hours()


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


def attendance_indicators(hours: Mapping[str, Hours]) -> dict[str, float | None]:
    """The attendance indicators from the hours per window (keys of WINDOWS; a missing window counts as empty).
    Percentages are 0–100 with one decimal; None where the window has no register."""
    get = hours.get
    recent, module, year = get("recent", NO_HOURS), get("module", NO_HOURS), get("year", NO_HOURS)
    month, previous = get("month", NO_HOURS), get("previous_month", NO_HOURS)
    trend = None
    if month.scheduled > 0 and previous.scheduled > 0:
        trend = round(100 * month.absent / month.scheduled - 100 * previous.absent / previous.scheduled, 1)
    has_year = year.scheduled > 0
    return {
        Indicator.ATTENDANCE_30: _present(recent),
        Indicator.ATTENDANCE_MODULE: _present(module),
        Indicator.ATTENDANCE_YEAR: _present(year),
        Indicator.ABSENT_SHARE_YEAR: _percent(year.absent, year.scheduled) if has_year else None,
        Indicator.UNEXCUSED_SHARE_YEAR: _percent(year.unexcused, year.scheduled) if has_year else None,
        Indicator.UNEXCUSED_MODULE: float(module.unexcused) if module.scheduled > 0 else None,
        Indicator.UNEXCUSED_YEAR: float(year.unexcused) if has_year else None,
        Indicator.TREND: trend,
    }


def _present(h: Hours) -> float | None:
    return None if h.scheduled <= 0 else max(0.0, round(100 - 100 * h.absent / h.scheduled, 1))


def full_day_streak(
    register_days_newest_first: Iterable[datetime.date], full_days: set[datetime.date], enrolled_from: datetime.date
) -> int:
    """Consecutive most recent register days the child missed whole (unexcused); stops at the first day present
    (or partly present, or excused) and at the start of the enrolment. Days without a register are skipped."""
    streak = 0
    for day in register_days_newest_first:
        if day < enrolled_from or day not in full_days:
            break
        streak += 1
    return streak


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def over_age(birth: datetime.date, grade: int, level: str, year_start: datetime.date) -> float | None:
    """Years over the grade's age on 1 September of the school year (never below 0); None in preschool."""
    if grade < 0 or level == Level.PRESCHOOL:
        return None
    expected = 6 + grade
    return float(max(0, age_on(birth, datetime.date(year_start.year, 9, 1)) - expected))


PARENTS_ABROAD_VALUE: dict[str, float] = {
    ParentsAbroad.BOTH: 1.0,
    ParentsAbroad.ONLY_PARENT: 1.0,
    ParentsAbroad.ONE: 0.5,
    ParentsAbroad.NONE: 0.0,
    ParentsAbroad.RETURNED: 0.0,
}


_JSON_KEYS = {name: json.dumps(name) + ": " for name in INDICATORS}
_FLOAT_JSON: dict[float, str] = {}  # a county's indicators take a few thousand distinct values (one decimal)
_FLOAT_JSON_MAX = 100_000


def _json_value(value: float | None) -> str:
    if value is None:
        return "null"
    if type(value) is not float:
        return json.dumps(value)
    text = _FLOAT_JSON.get(value)
    if text is None:
        text = json.dumps(value)
        if len(_FLOAT_JSON) < _FLOAT_JSON_MAX:
            _FLOAT_JSON[value] = text
    return text


def indicators_json(values: Mapping[str, float | None]) -> str:
    """The indicators as JSON, exactly as json.dumps writes them, twice as fast: the nightly run writes them with
    each of a county's 100,000 scores, and formatting floats is most of json.dumps's time."""
    keys, floats = _JSON_KEYS, _FLOAT_JSON
    return (
        "{"
        + ", ".join(
            [
                (keys.get(name) or json.dumps(name) + ": ")
                + (floats.get(value) or _json_value(value) if type(value) is float else _json_value(value))
                for name, value in values.items()
            ]
        )
        + "}"
    )


def _flag(value: bool | None) -> float | None:
    return None if value is None else float(bool(value))


# ---------------------------------------------------------------------------------------------------------------
# Bulk reads


@dataclass
class ChildIndicators:
    """A child's indicators, and where the child was counted (the enrolment the windows came from)."""

    values: dict[str, float | None]
    school_id: int | None = None
    county_code: str = ""
    class_id: int | None = None


class _Enrolment(NamedTuple):
    pk: int
    child_id: int
    class_id: int
    start: datetime.date
    end: datetime.date | None
    repeating: bool
    school_id: int
    county_code: str
    year_id: int
    grade: int
    level: str

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, span: Span) -> bool:
        return self.start <= span[1] and (self.end is None or self.end >= span[0])


@dataclass
class _YearGroup:
    year: SchoolYear
    windows: Windows
    child_ids: list[int] = field(default_factory=list)


def id_list(ids: Iterable[int]) -> RawSQL | list[int]:
    """The right-hand side of an `__in` filter on many ids, bound as parameters but without Django preparing each
    value (that costs ~3 µs an id: seconds for a county). Only placeholders are written into the SQL."""
    values = [int(i) for i in ids]
    if not values:
        return []
    return RawSQL(", ".join(["%s"] * len(values)), values, output_field=IntegerField())  # noqa: S611


def _rows(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver returns them, without Django's per-value
    converters (~2 s for a county's 700,000 aggregate values). Dates may come back as ISO text: see _day."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day(value: datetime.date | str | None) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def indicators_for_children(*, child_ids: Sequence[int], on: datetime.date) -> dict[int, dict[str, float | None]]:
    """Every indicator (prezent.risk.models.Indicator) of each child on `on`; None where not computable."""
    return {child_id: row.values for child_id, row in indicators_with_context(child_ids=child_ids, on=on).items()}


def indicators_with_context(
    *, child_ids: Sequence[int], on: datetime.date, chunk_size: int = CHUNK, read_all: bool = False
) -> dict[int, ChildIndicators]:
    """The indicators and the school each child counts in.

    Children are read in chunks of `chunk_size`: each chunk costs about ten queries per school year among its
    children (plus two per school year met for the first time, for its calendar). With `read_all`, meant for when
    `child_ids` is (nearly) everyone — the nightly run — each table is read once over the date windows without an
    id list, as a single aggregate statement would, and only `child_ids` are kept.
    """
    wanted = list(dict.fromkeys(child_ids))
    years: dict[int, SchoolYear] = {}
    if read_all:
        return _read(None, set(wanted), on, years)
    result: dict[int, ChildIndicators] = {}
    for start in range(0, len(wanted), chunk_size):
        result.update(_read(wanted[start : start + chunk_size], None, on, years))
    return result


def _by(field_name: str, ids: list[int] | None) -> Q:
    """A filter on `field_name` for the chunk's ids; no filter when reading everyone."""
    return Q() if ids is None else Q(**{f"{field_name}__in": id_list(ids)})


def _read(
    ids: list[int] | None, keep: set[int] | None, on: datetime.date, years: dict[int, SchoolYear]
) -> dict[int, ChildIndicators]:
    """The indicators of the children `ids` (or, with ids None, of the children in `keep`, reading everyone): the
    enrolment each child counts in on `on`, the indicators of the child's record, household and enrolments, then
    attendance and results for each school year the children count in. `years` caches school years across chunks."""
    enrolments_by_child = _enrolments_read(ids, keep, on)
    current = {child_id: _counted_enrolment(enrolments, on) for child_id, enrolments in enrolments_by_child.items()}
    groups = _year_groups(current, on, years)
    result = _circumstances_read(ids, keep, enrolments_by_child, current, years)
    for group in groups.values():
        _year_group_indicators(group, ids, enrolments_by_child, current, result)
    return result


def _enrolments_read(ids: list[int] | None, keep: set[int] | None, on: datetime.date) -> dict[int, list[_Enrolment]]:
    """Every enrolment started by `on` of the children, with its class's school, school year, grade and level."""
    enrolments_by_child: dict[int, list[_Enrolment]] = defaultdict(list)
    for pk, child_id, class_id, start, end, repeating, *rest in _rows(
        Enrolment.objects.filter(_by("child_id", ids), start__lte=on).values_list(
            "pk",
            "child_id",
            "class_group_id",
            "start",
            "end",
            "repeating",
            "class_group__school_id",
            "class_group__school__county_code",
            "class_group__school_year_id",
            "class_group__grade",
            "class_group__level",
        )
    ):
        if keep is None or child_id in keep:
            enrolments_by_child[child_id].append(
                _Enrolment(pk, child_id, class_id, _day(start), _day(end), bool(repeating), *rest)  # type: ignore[arg-type]
            )
    return enrolments_by_child


def _counted_enrolment(enrolments: list[_Enrolment], on: datetime.date) -> _Enrolment:
    """The enrolment a child counts in on `on`: the latest started of those covering the day; for a child who has
    left, the latest started."""
    covering = [e for e in enrolments if e.covers(on)]
    return max(covering or enrolments, key=lambda e: (e.start, e.pk))


def _year_groups(
    current: Mapping[int, _Enrolment], on: datetime.date, years: dict[int, SchoolYear]
) -> dict[int, _YearGroup]:
    """The children by the school year they count in, each year with its windows ending on `on`; school years not
    met before are read once into `years`."""
    missing = {e.year_id for e in current.values()} - set(years)
    if missing:
        years.update({y.pk: y for y in SchoolYear.objects.filter(pk__in=missing)})
    groups: dict[int, _YearGroup] = {}
    for child_id, counted in current.items():
        group = groups.get(counted.year_id)
        if group is None:
            year = years[counted.year_id]
            group = _YearGroup(year, windows_for(calendar_for(year), year.start, year.end, on))
            groups[counted.year_id] = group
        group.child_ids.append(child_id)
    return groups


_CHILD_WORKS = str(Indicator.CHILD_WORKS)
_SOCIAL_BENEFIT = str(Indicator.SOCIAL_BENEFIT)
_PARENTS_ABROAD = str(Indicator.PARENTS_ABROAD)
_SINGLE_PARENT = str(Indicator.SINGLE_PARENT)
_DISTANCE_KM = str(Indicator.DISTANCE_KM)
_NO_PAPERS = str(Indicator.NO_PAPERS)
_OVER_AGE = str(Indicator.OVER_AGE)
_REPEATED_GRADE = str(Indicator.REPEATED_GRADE)
_STREAK_DAYS = str(Indicator.STREAK_DAYS)


def _circumstances_read(
    ids: list[int] | None,
    keep: set[int] | None,
    enrolments_by_child: Mapping[int, list[_Enrolment]],
    current: Mapping[int, _Enrolment],
    years: Mapping[int, SchoolYear],
) -> dict[int, ChildIndicators]:
    """Each child's indicators, all None at first, with those of the child's record, household and enrolments set,
    and where the child counts; a child without an enrolment counts nowhere."""
    result: dict[int, ChildIndicators] = {}
    children = _rows(
        Child.objects.filter(_by("pk", ids)).values_list(
            "pk",
            "birth_date",
            "works",
            "household_id",
            "household__social_benefit",
            "household__parents_abroad",
            "household__single_parent",
            "household__distance_to_school_km",
            "household__no_identity_papers",
        )
    )
    blank = dict.fromkeys(INDICATORS)
    for pk, birth, works, household_id, benefit, abroad, single, distance, no_papers in children:
        if keep is not None and pk not in keep:
            continue
        values: dict[str, float | None] = blank.copy()
        values[_CHILD_WORKS] = float(works)
        if household_id is not None:
            _household_values(values, benefit, abroad, single, distance, no_papers)
        enrolment = current.get(pk)
        if enrolment is None:
            result[pk] = ChildIndicators(values=values)
            continue
        _enrolment_values(values, _day(birth), enrolment, enrolments_by_child[pk], years)
        result[pk] = ChildIndicators(values, enrolment.school_id, enrolment.county_code, enrolment.class_id)
    return result


def _household_values(
    values: dict[str, float | None], benefit: Any, abroad: Any, single: Any, distance: Any, no_papers: Any
) -> None:
    """The household's circumstances, set only for a child with a household record: unknown is not "no"."""
    values[_SOCIAL_BENEFIT] = _flag(benefit)
    values[_PARENTS_ABROAD] = PARENTS_ABROAD_VALUE.get(abroad, 0.0)
    values[_SINGLE_PARENT] = _flag(single)
    values[_DISTANCE_KM] = None if distance is None else float(distance)
    values[_NO_PAPERS] = _flag(no_papers)


def _enrolment_values(
    values: dict[str, float | None],
    birth: datetime.date | None,
    enrolment: _Enrolment,
    history: list[_Enrolment],
    years: Mapping[int, SchoolYear],
) -> None:
    """Over-age in the grade the child counts in, and the number of school years with an enrolment marked
    repeating."""
    assert birth is not None
    values[_OVER_AGE] = over_age(birth, enrolment.grade, enrolment.level, years[enrolment.year_id].start)
    values[_REPEATED_GRADE] = (
        float(len({e.year_id for e in history if e.repeating}))
        if len(history) > 1
        else (1.0 if history[0].repeating else 0.0)
    )


def _window_sums(prefix: str, spans: Mapping[str, Span], field_name: str, date_field: str) -> dict[str, Any]:
    return {
        f"{prefix}{name}": Sum(field_name, filter=Q(**{f"{date_field}__gte": start, f"{date_field}__lte": stop}))
        for name, (start, stop) in spans.items()
    }


def _year_group_indicators(
    group: _YearGroup,
    ids: list[int] | None,
    enrolments_by_child: Mapping[int, list[_Enrolment]],
    current: Mapping[int, _Enrolment],
    result: dict[int, ChildIndicators],
) -> None:
    """The attendance, streak and results indicators of the children whose current class is in one school year.
    `ids` is the chunk's id list (None: read everyone, keep the group's children)."""
    windows = group.windows
    spans = windows.spans()
    first = windows.first_day
    if first is None:
        return
    period: Span = (first, windows.end)
    group_ids = [i for i in group.child_ids if i in result]
    scheduled = _scheduled_hours(group_ids, ids, enrolments_by_child, spans, period)
    absent = _absent_hours(ids, spans, period)
    full_days, register_days = _full_days_missed(ids, windows, current)
    results = _latest_module_results(ids, group.year)
    _attendance_set(group_ids, list(spans), scheduled, absent, full_days, register_days, current, result)
    _results_set(group_ids, results, result)


def _scheduled_hours(
    group_ids: list[int],
    ids: list[int] | None,
    enrolments_by_child: Mapping[int, list[_Enrolment]],
    spans: Mapping[str, Span],
    period: Span,
) -> dict[int, list[int]]:
    """Scheduled hours per child and window, summed over the child's enrolments: whole-period enrolments take
    their class's sums; the others (moves, late enrolments) are summed over their own days, in one query for all
    of them."""
    full, partial = _enrolments_by_coverage(group_ids, enrolments_by_child, period)
    class_sums = _class_hours(full, ids, spans, period)
    partial_sums = _enrolment_hours(partial, spans, period)
    scheduled: dict[int, list[int]] = {}
    for enrolment, sums in [(e, class_sums.get(e.class_id)) for e in full] + [
        (e, partial_sums.get(e.pk)) for e in partial
    ]:
        if sums is None:
            continue
        totals = scheduled.setdefault(enrolment.child_id, [0] * len(spans))
        for i, value in enumerate(sums):
            totals[i] += value or 0
    return scheduled


def _enrolments_by_coverage(
    group_ids: list[int], enrolments_by_child: Mapping[int, list[_Enrolment]], period: Span
) -> tuple[list[_Enrolment], list[_Enrolment]]:
    """The children's enrolments that overlap the period: those covering all of it, and the others."""
    first, end = period
    full: list[_Enrolment] = []
    partial: list[_Enrolment] = []
    for child_id in group_ids:
        for enrolment in enrolments_by_child[child_id]:
            if not enrolment.overlaps(period):
                continue
            if enrolment.start <= first and (enrolment.end is None or enrolment.end >= end):
                full.append(enrolment)
            else:
                partial.append(enrolment)
    return full, partial


def _class_hours(
    full: list[_Enrolment], ids: list[int] | None, spans: Mapping[str, Span], period: Span
) -> dict[int, tuple[Any, ...]]:
    """Register hours per class and window, for the classes of whole-period enrolments (every class when reading
    everyone)."""
    if not full:
        return {}
    first, end = period
    names = list(spans)
    classes = None if ids is None else sorted({e.class_id for e in full})
    return {
        row[0]: row[1:]
        for row in _rows(
            RegisterEntry.objects.filter(_by("class_group_id", classes), date__gte=first, date__lte=end)
            .values("class_group_id")
            .annotate(**_window_sums("s_", spans, "hours", "date"))
            .values_list("class_group_id", *[f"s_{n}" for n in names])
        )
    }


def _enrolment_hours(partial: list[_Enrolment], spans: Mapping[str, Span], period: Span) -> dict[int, tuple[Any, ...]]:
    """Register hours per enrolment and window over the enrolment's own days, `PARTIAL_CHUNK` enrolments a query."""
    first, end = period
    names = list(spans)
    partial_sums: dict[int, tuple[Any, ...]] = {}
    entry_day = "class_group__register_entries__date"
    for offset in range(0, len(partial), PARTIAL_CHUNK):
        rows = (
            # One filter() call: each call on a multi-valued relation would join the register entries again.
            Enrolment.objects.filter(
                Q(pk__in=id_list(e.pk for e in partial[offset : offset + PARTIAL_CHUNK])),
                Q(**{f"{entry_day}__gte": first}),
                Q(**{f"{entry_day}__lte": end}),
                Q(**{f"{entry_day}__gte": F("start")}),
                Q(end__isnull=True) | Q(**{f"{entry_day}__lte": F("end")}),
            )
            .values("pk")
            .annotate(**_window_sums("s_", spans, "class_group__register_entries__hours", entry_day))
            .values_list("pk", *[f"s_{n}" for n in names])
        )
        partial_sums.update({row[0]: row[1:] for row in _rows(rows)})
    return partial_sums


def _absent_hours(ids: list[int] | None, spans: Mapping[str, Span], period: Span) -> dict[int, tuple[Any, ...]]:
    """Absent and unexcused hours per child and window, as (absent, unexcused) pairs in window order. Excused hours
    count as absent, never as unexcused."""
    first, end = period
    absence_sums: dict[str, Any] = {}
    for name, (start, stop) in spans.items():
        absence_sums[f"a_{name}"] = Sum("hours", filter=Q(date__gte=start, date__lte=stop))
        absence_sums[f"u_{name}"] = Sum("hours", filter=Q(date__gte=start, date__lte=stop, excused=False))
    return {
        row[0]: row[1:]
        for row in _rows(
            Absence.objects.filter(_by("child_id", ids), date__gte=first, date__lte=end)
            .values("child_id")
            .annotate(**absence_sums)
            .values_list("child_id", *absence_sums)
        )
    }


def _full_days_missed(
    ids: list[int] | None, windows: Windows, current: Mapping[int, _Enrolment]
) -> tuple[dict[int, set[datetime.date]], dict[int, list[datetime.date]]]:
    """For the streak: each child's full-day unexcused absences in the last 30 school days, and the register days of
    those children's current classes in that window, newest first."""
    full_days: dict[int, set[datetime.date]] = defaultdict(set)
    register_days: dict[int, list[datetime.date]] = defaultdict(list)
    if windows.recent is None:
        return full_days, register_days
    end = windows.end
    for child_id, day in _rows(
        Absence.objects.filter(
            _by("child_id", ids),
            date__gte=windows.recent[0],
            date__lte=end,
            excused=False,
            hours__gte=F("register_entry__hours"),
        ).values_list("child_id", "date")
    ):
        full_days[child_id].add(_day(day))  # type: ignore[arg-type]
    classes_needed = sorted({current[c].class_id for c in full_days if c in current})
    if classes_needed:
        for class_id, day in _rows(
            RegisterEntry.objects.filter(
                class_group_id__in=id_list(classes_needed), date__gte=windows.recent[0], date__lte=end
            )
            .order_by("-date")
            .values_list("class_group_id", "date")
        ):
            register_days[class_id].append(_day(day))  # type: ignore[arg-type]
    return full_days, register_days


def _latest_module_results(ids: list[int] | None, year: SchoolYear) -> dict[int, tuple[int, int, int, Any, Any]]:
    """Per child, the latest module of the school year with any result: (module, subjects, failed subjects, mean,
    conduct), one grouped query. Conduct is left out of subjects, failures and the mean; a failure is an average
    under 5 or the calificativ "Insuficient"."""
    not_conduct = ~Q(subject=CONDUCT_SUBJECT)
    results: dict[int, tuple[int, int, int, Any, Any]] = {}
    for child_id, module, subjects, failed, mean, conduct in _rows(
        ModuleResult.objects.filter(_by("child_id", ids), class_group__school_year_id=year.pk)
        .values("child_id", "module")
        .annotate(
            subjects=Count("pk", filter=not_conduct),
            failed=Count("pk", filter=(Q(average__lt=FAILING_AVERAGE) | Q(qualifier="I")) & not_conduct),
            mean=Avg("average", filter=not_conduct),
            conduct_grade=Max("average", filter=Q(subject=CONDUCT_SUBJECT)),
        )
        .values_list("child_id", "module", "subjects", "failed", "mean", "conduct_grade")
    ):
        known = results.get(child_id)
        if known is None or module > known[0]:
            results[child_id] = (module, subjects, failed, mean, conduct)
    return results


def _attendance_set(
    group_ids: list[int],
    names: list[str],
    scheduled: Mapping[int, list[int]],
    absent: Mapping[int, tuple[Any, ...]],
    full_days: Mapping[int, set[datetime.date]],
    register_days: Mapping[int, list[datetime.date]],
    current: Mapping[int, _Enrolment],
    result: dict[int, ChildIndicators],
) -> None:
    """Each child's attendance indicators from their hours per window, and the full-day streak for a child with
    register hours in the school year."""
    numbered = list(enumerate(names))
    empty_sums = (0,) * (2 * len(names))
    empty_scheduled = [0] * len(names)
    for child_id in group_ids:
        totals = scheduled.get(child_id, empty_scheduled)
        missed = absent.get(child_id, empty_sums)
        hours = {name: Hours(totals[i], missed[2 * i] or 0, missed[2 * i + 1] or 0) for i, name in numbered}
        values = result[child_id].values
        values.update(attendance_indicators(hours))
        if "year" in hours and hours["year"].scheduled > 0:
            values[_STREAK_DAYS] = _streak(child_id, full_days, register_days, current)


def _streak(
    child_id: int,
    full_days: Mapping[int, set[datetime.date]],
    register_days: Mapping[int, list[datetime.date]],
    current: Mapping[int, _Enrolment],
) -> float:
    """The child's full-day streak on the registers of their current class, from the start of that enrolment."""
    missed_whole = full_days.get(child_id)
    if missed_whole is None:  # most children: no full day missed lately
        return 0.0
    streak_from = current[child_id]
    return float(full_day_streak(register_days.get(streak_from.class_id, []), missed_whole, streak_from.start))


def _results_set(
    group_ids: list[int], results: Mapping[int, tuple[int, int, int, Any, Any]], result: dict[int, ChildIndicators]
) -> None:
    """The results indicators of the latest module: failed subjects and the average when it has subjects other
    than conduct, and the conduct grade."""
    for child_id in group_ids:
        found = results.get(child_id)
        if found is None:
            continue
        values = result[child_id].values
        _module, subjects, failed, mean, conduct = found
        if subjects:
            values[Indicator.FAILED_SUBJECTS] = float(failed)
            if mean is not None:  # primary school has calificative, no average
                values[Indicator.MODULE_AVERAGE] = round(float(mean), 2)
        if conduct is not None:
            values[Indicator.CONDUCT] = float(conduct)
