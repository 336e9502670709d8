"""School-day arithmetic: pure functions over plain dates, no database.

A school day is a weekday inside one of the year's modules that is not a non-school day.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """The modules (start, end inclusive) and the non-school days of one school year."""

    modules: Sequence[tuple[datetime.date, datetime.date]]
    days_off: frozenset[datetime.date] = frozenset()

    def is_school_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return any(start <= day <= end for start, end in self.modules)

    def module_number(self, day: datetime.date) -> int | None:
        for number, (start, end) in enumerate(self.modules, start=1):
            if start <= day <= end:
                return number
        return None

    def school_days(self, start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
        """Every school day from `start` to `end`, both included."""
        day = start
        while day <= end:
            if self.is_school_day(day):
                yield day
            day += ONE_DAY

    def count_school_days(self, start: datetime.date, end: datetime.date) -> int:
        """How many school days lie between two dates, both included (0 when end is before start)."""
        total = 0
        for module_start, module_end in self.modules:
            lo, hi = max(start, module_start), min(end, module_end)
            if lo <= hi:
                total += count_weekdays(lo, hi) - sum(1 for d in self.days_off if lo <= d <= hi and d.weekday() < 5)
        return total

    def last_school_days(self, until: datetime.date, count: int) -> list[datetime.date]:
        """The last `count` school days up to and including `until`, oldest first."""
        days: list[datetime.date] = []
        day = until
        first = min((s for s, _ in self.modules), default=until)
        while len(days) < count and day >= first:
            if self.is_school_day(day):
                days.append(day)
            day -= ONE_DAY
        return sorted(days)


def count_weekdays(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days from `start` to `end`, both included."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    total = full_weeks * 5
    weekday = start.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            total += 1
    return total


def week_days(day: datetime.date) -> list[datetime.date]:
    """Monday to Friday of the week that holds `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=i) for i in range(5)]


def month_starts(days: Iterable[datetime.date]) -> list[datetime.date]:
    return sorted({d.replace(day=1) for d in days})


def february_mondays(window: tuple[datetime.date, datetime.date]) -> list[datetime.date]:
    """The Mondays a county may choose for its February holiday week: every week (Monday to Friday) inside the
    window the ministry's order gives."""
    start, end = window
    monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    mondays = []
    while monday + datetime.timedelta(days=4) <= end:
        mondays.append(monday)
        monday += datetime.timedelta(weeks=1)
    return mondays


def modules_around_february(
    modules: Sequence[tuple[datetime.date | None, datetime.date | None]], monday: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The five modules once the county's February week is known: the third ends on the Friday before `monday`,
    the fourth starts on the Monday after the week."""
    third_end = monday - datetime.timedelta(days=3)
    fourth_start = monday + datetime.timedelta(weeks=1)
    spans = []
    for number, (start, end) in enumerate(modules, start=1):
        start = fourth_start if number == 4 and start is None else start
        end = third_end if number == 3 and end is None else end
        assert start is not None and end is not None, "only the 3rd module's end and the 4th's start are open"
        spans.append((start, end))
    return spans
