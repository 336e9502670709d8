"""The demo's class registers: one entry per class and school day up to `today`, and the absences on them.

Each pupil misses about their planned share of hours (`ChildPlan.rate`) in episodes: illness (more in winter),
farm work (autumn and spring, families that farm, from grade V), skipped days, partial days, and the absences
rising over the last 6–10 weeks of a pupil who drops out (on top of their usual ones). Episodes are excused (or
not) as the school would: on a medical note or a parent's request (within the yearly quota), days after the
absence, so this month's absences are mostly still open.
"""

import bisect
import datetime
from collections.abc import Generator, Iterable

from django.utils.translation import gettext as _

from prezent.attendance.models import Absence, ExcuseReason, RegisterEntry
from prezent.demo.plan import ONE_DAY, ChildPlan, DemoPlan, Segment
from prezent.demo.rows import db_date, rows_insert
from prezent.programme.models import MembershipStatus

# Absence episode kinds.
ILLNESS, FARM, SKIP, PARTIAL, DROPPING = "illness", "farm", "skip", "partial", "dropping"

# An episode: its kind, the indexes of its school days in the year, and the hours missed each day.
Episode = tuple[str, list[int], int]


class _YearRegister:
    """One school year's register as the absences need it: its school days (as dates and database values), the
    register entries by class and day, and the seasons of farm work and illness."""

    def __init__(self, plan: DemoPlan, year: int, last: datetime.date) -> None:
        self.year = year
        self.last = last
        self.days = plan.year_days[year]
        self.db_days = [db_date(day) for day in self.days]
        self.quota = plan.years[year].parent_excuse_quota_hours
        self.entry_ids: dict[int, int] = {}
        # Farm work in autumn (Sep–Oct) and spring (Apr–May); illness peaks in winter (Dec–Feb).
        self.farm_days = [i for i, d in enumerate(self.days) if d.month in (9, 10, 4, 5)]
        self.winter_days = [i for i, d in enumerate(self.days) if d.month in (12, 1, 2)]


def registers_write(plan: DemoPlan, year: int) -> None:
    """One entry per class and school day up to today; ~1.5 % of class-days not recorded; this week some
    classes have not taken the register yet. Then the absences of the pupils on the recorded days."""
    last = plan.last_day[year]
    name = plan.years[year].name
    if last is None:
        plan.out(_("absențe %(year)s: anul nu a început.") % {"year": name})
        return
    register = _YearRegister(plan, year, last)
    written = _entries_write(plan, register)
    register.entry_ids = _entry_ids(plan, register)
    plan.out(_("condici %(year)s: %(n)d zile de clasă înregistrate.") % {"year": name, "n": written})
    _absences_write(plan, register)


def _entries_write(plan: DemoPlan, register: _YearRegister) -> int:
    """The register entries: each class on each of its school days up to the last one, taken between 8 and 14
    by its teacher. A few days are missing: 1.5 % before this week; this week 3 %, on the last day 8 %, and 30 %
    when that day is today (the register is taken through the day)."""
    rng = plan.rng
    days, last = register.days, register.last
    week_start = last - datetime.timedelta(days=last.weekday())
    current = (plan.today - last).days < 7
    this_week = [d for d in days if week_start <= d <= last] if current else []
    today_is_school_day = last == plan.today
    rows: list[tuple[object, ...]] = []
    for klass in (c for c in plan.classes if c.year == register.year):
        assert klass.obj is not None
        end = min(plan.class_end(klass), last)
        teacher = plan.user(klass.teacher).pk
        for index, day in enumerate(days):
            if day > end:
                break
            if day in this_week:
                missing = 0.3 if (today_is_school_day and day == last) else 0.08 if day == last else 0.03
                if rng.random() < missing:
                    continue
            elif rng.random() < 0.015:
                continue
            taken_at = plan.moment(day, rng.randint(8, 13), 5 * rng.randint(0, 11))
            rows.append((klass.obj.pk, register.db_days[index], klass.hours_per_day, teacher, taken_at))
    return rows_insert(RegisterEntry, ("class_group", "date", "hours", "taken_by", "taken_at"), rows)


def _entry_ids(plan: DemoPlan, register: _YearRegister) -> dict[int, int]:
    """The written entries' ids by class and day: class id × 1000 + the day's index in the year."""
    position = {day: index for index, day in enumerate(register.days)}
    return {
        class_id * 1000 + position[day]: pk
        for class_id, day, pk in RegisterEntry.objects.filter(class_group__school_year=plan.years[register.year])
        .values_list("class_group_id", "date", "pk")
        .iterator(chunk_size=20000)
    }


def _absences_write(plan: DemoPlan, register: _YearRegister) -> None:
    """The absences of every pupil of the year, child by child, reporting progress by fifths."""
    year, name = register.year, plan.years[register.year].name
    children = [c for c in plan.children if any(s.klass.year == year for s in c.segments)]
    progress = {len(children) * k // 5: k * 20 for k in range(1, 5)}

    def absences() -> Iterable[tuple[object, ...]]:
        for n, child in enumerate(children, start=1):
            used = 0
            for segment in (s for s in child.segments if s.klass.year == year):
                used = yield from _absences(plan, register, child, segment, used)
            if n in progress:
                plan.out(_("absențe %(year)s: %(percent)d %%…") % {"year": name, "percent": progress[n]})

    fields = (
        "register_entry",
        "child",
        "date",
        "hours",
        "excused",
        "excuse_reason",
        "document_date",
        "excused_by",
        "excused_at",
        "recorded_by",
    )
    written = rows_insert(Absence, fields, absences())
    plan.out(_("absențe %(year)s: 100 %% (%(n)d rânduri).") % {"year": name, "n": written})


def _absences(
    plan: DemoPlan, register: _YearRegister, child: ChildPlan, segment: Segment, used: int
) -> Generator[tuple[object, ...], None, int]:
    """The absence rows of one enrolment, as episodes (illness, farm work, skipped days, partial days).
    Returns the parent-request hours used in the year so far."""
    klass = segment.klass
    days = register.days
    planned_end = min(segment.end or plan.class_end(klass), plan.class_end(klass))
    end = min(planned_end, register.last)
    lo, hi = bisect.bisect_left(days, segment.start), bisect.bisect_right(days, end)
    if hi <= lo:
        return used
    # Episodes are drawn over the whole enrolment, as if the year had run to its end, and only those up to the
    # last recorded day are kept: a year in progress then has the season's absences (few in autumn, more in
    # winter), not the whole year's share squeezed into its first months.
    full = max(hi, bisect.bisect_right(days, planned_end))
    absent: dict[int, int] = {}
    episodes = _dropping_out(plan, segment, lo, hi, absent)
    episodes += _episodes_draw(plan, register, child, segment, lo, full, absent)
    episodes = [(kind, kept, hours) for kind, run, hours in episodes if (kept := [i for i in run if i < hi])]
    assert klass.obj is not None
    return (yield from _absence_rows(plan, register, child, klass.teacher, klass.obj.pk * 1000, episodes, used))


def _dropping_out(plan: DemoPlan, segment: Segment, lo: int, hi: int, absent: dict[int, int]) -> list[Episode]:
    """A pupil who dropped out stays away more and more over their last 6–10 school weeks: a whole day missed
    with a chance rising from 8 % at the start of the ramp to 93 % at its end, on top of their usual absences
    (`_episodes_draw` does not count these days against the pupil's share). Each missed day is its own episode,
    unexcused."""
    if segment.end_reason != "dropped_out":
        return []
    rng = plan.rng
    hours_per_day = segment.klass.hours_per_day
    ramp = 5 * rng.randint(6, 10)
    first = max(lo, hi - ramp)
    episodes: list[Episode] = []
    for i in range(first, hi):
        if rng.random() < 0.08 + 0.85 * ((i - first + 1) / ramp) ** 2:
            absent[i] = hours_per_day
            episodes.append((DROPPING, [i], hours_per_day))
    return episodes


def _episodes_draw(
    plan: DemoPlan,
    register: _YearRegister,
    child: ChildPlan,
    segment: Segment,
    lo: int,
    full: int,
    absent: dict[int, int],
) -> list[Episode]:
    """Episodes until the pupil has missed their share of the enrolment's hours (±25 %; in its second year the
    programme's children miss a quarter fewer, on average), each on days not missed yet. The days of a drop-out's
    ramp (already in `absent`) are on top of that share, not taken out of it."""
    rng = plan.rng
    klass = segment.klass
    hours_per_day = klass.hours_per_day
    target = child.rate * (full - lo) * hours_per_day * rng.uniform(0.75, 1.25)
    if register.year == 1 and child.membership == MembershipStatus.INCLUDED:
        # The programme works, somewhat: in its second year its children miss a quarter fewer hours (more for
        # some, none for others), so the dashboard's baseline comparison and the case pages have a story.
        target *= rng.uniform(0.45, 1.0)
    total = 0
    farm = _window(register.farm_days, lo, full) if child.farm_work and klass.grade >= 5 else []
    winter = _window(register.winter_days, lo, full)
    weights = (
        0.42,
        0.18 * (2.5 if child.chronic else 1.0),
        0.25,
        (0.2 * (2 if child.chronic else 1)) if farm else 0,
    )
    kinds = (ILLNESS, SKIP, PARTIAL, FARM)
    episodes: list[Episode] = []
    attempts = 0
    while total < target and attempts < 300:
        attempts += 1
        kind = rng.choices(kinds, weights)[0]
        first, length, hours = _episode_shape(plan, kind, child, lo, full, farm, winter, hours_per_day)
        run = [i for i in range(first, min(first + length, full)) if i not in absent]
        if not run:
            continue
        for i in run:
            absent[i] = hours
        total += hours * len(run)
        episodes.append((kind, run, hours))
    return episodes


def _episode_shape(
    plan: DemoPlan,
    kind: str,
    child: ChildPlan,
    lo: int,
    full: int,
    farm: list[int],
    winter: list[int],
    hours_per_day: int,
) -> tuple[int, int, int]:
    """An episode's first day, length in days and hours a day: illness lasts 1–5 days, mostly in winter; farm
    work 1–4 days (1–8 for chronic absentees) in its seasons; a skipped day or two; or 1–3 hours of one day."""
    rng = plan.rng
    hours = hours_per_day
    if kind == ILLNESS:
        first = rng.choice(winter) if winter and rng.random() < 0.55 else rng.randrange(lo, full)
        length = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
    elif kind == FARM:
        first = rng.choice(farm)
        length = rng.randint(1, 8 if child.chronic else 4)
    elif kind == SKIP:
        first = rng.randrange(lo, full)
        length = 1 if rng.random() < 0.7 else 2
    else:
        first = rng.randrange(lo, full)
        length = 1
        hours = rng.randint(1, min(3, hours_per_day - 1))
    return first, length, hours


def _absence_rows(
    plan: DemoPlan,
    register: _YearRegister,
    child: ChildPlan,
    teacher: int,
    class_key: int,
    episodes: list[Episode],
    used: int,
) -> Generator[tuple[object, ...], None, int]:
    """The rows of the episodes on the days that have a register entry, recorded by the class teacher and
    excused by them. Returns the parent-request hours used in the year so far."""
    rng = plan.rng
    days = register.days
    child_id, teacher_id = child.pk, plan.user(teacher).pk
    for kind, run, hours in episodes:
        first_day, last_day = days[run[0]], days[run[-1]]
        reason, document, excused_on = _excuse(plan, kind, len(run) * hours, first_day, last_day, register.quota - used)
        if reason == ExcuseReason.PARENT_REQUEST:
            used += len(run) * hours
        excused_at = None
        if excused_on is not None:
            excused_at = plan.moment(excused_on, rng.randint(8, 15), 5 * rng.randint(0, 11))
        document_date = plan.day(document)
        excused_by = teacher_id if reason else None
        for i in run:
            entry_id = register.entry_ids.get(class_key + i)
            if entry_id is None:
                continue
            yield (
                entry_id,
                child_id,
                register.db_days[i],
                hours,
                bool(reason),
                reason,
                document_date,
                excused_by,
                excused_at,
                teacher_id,
            )
    return used


def _window(indexes: list[int], lo: int, hi: int) -> list[int]:
    return indexes[bisect.bisect_left(indexes, lo) : bisect.bisect_left(indexes, hi)]


def _excuse(
    plan: DemoPlan, kind: str, hours: int, first: datetime.date, last: datetime.date, quota_left: int
) -> tuple[str, datetime.date | None, datetime.date | None]:
    """Whether an episode gets excused, on which document and when. Excuses come 3–20 days late; the ones
    not yet due by `today` are still unexcused; parents' requests stop at the yearly quota."""
    rng = plan.rng
    draw = rng.random()
    route: str
    if kind == ILLNESS:
        if hours <= 8 and draw < 0.35:
            route = ExcuseReason.PARENT_REQUEST
        elif draw < 0.85:
            route = ExcuseReason.MEDICAL
        else:
            return "", None, None
    elif kind == PARTIAL:
        route = ExcuseReason.PARENT_REQUEST if draw < 0.4 else ExcuseReason.MEDICAL if draw < 0.5 else ""
    elif kind == SKIP:
        route = ExcuseReason.PARENT_REQUEST if draw < 0.25 else ExcuseReason.OTHER_DOCUMENT if draw < 0.28 else ""
    elif kind == FARM:
        route = ExcuseReason.PARENT_REQUEST if draw < 0.08 else ""
    else:
        route = ""
    if not route:
        return "", None, None
    if route == ExcuseReason.PARENT_REQUEST:
        if hours > quota_left:
            return "", None, None
        document = first - datetime.timedelta(days=rng.randint(0, 2)) if rng.random() < 0.4 else last + ONE_DAY
        excused_on = last + datetime.timedelta(days=rng.randint(1, 10))
    else:
        document = last + datetime.timedelta(days=rng.randint(1, 5))
        excused_on = max(document, last + datetime.timedelta(days=rng.randint(3, 20)))
    if excused_on > plan.today:
        return "", None, None
    return route, document, excused_on
