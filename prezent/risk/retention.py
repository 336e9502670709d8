"""Which risk scores are kept for good: pure rules, no database.

The nightly run writes one score per pupil per day — about 100,000 rows a night for a county, 36 million a year.
Scores older than `keep_days()` (setting PREZENT_RISK_SCORES_KEEP_DAYS, default 90) are thinned:
- every child's current score stays;
- each month's snapshot day keeps all its scores: the day of that month with the most scores (the earliest of
  equal days), so "risk levels over time" still counts one complete day per month;
- on the other days a score stays only where the child's level or points changed from their previous score, so
  a child's history keeps every change.
"""

import datetime
from collections.abc import Mapping

from django.conf import settings

DEFAULT_KEEP_DAYS = 90


def keep_days() -> int:
    return int(getattr(settings, "PREZENT_RISK_SCORES_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def thinning_from(today: datetime.date, keep: int) -> datetime.date:
    """Scores computed before this day are thinned."""
    return today - datetime.timedelta(days=keep)


def snapshot_days(scores_per_day: Mapping[datetime.date, int]) -> set[datetime.date]:
    """Per month, the day with the most scores (the earliest of equal days)."""
    best: dict[tuple[int, int], tuple[int, datetime.date]] = {}
    for day, count in scores_per_day.items():
        month = (day.year, day.month)
        known = best.get(month)
        if known is None or count > known[0] or (count == known[0] and day < known[1]):
            best[month] = (count, day)
    return {day for _count, day in best.values()}


def complete_days(scores_per_day: Mapping[datetime.date, int], today: datetime.date, keep: int) -> set[datetime.date]:
    """The days whose scores are all still there: every day of the last `keep` days, and before them each month's
    snapshot day."""
    limit = thinning_from(today, keep)
    older = {day: count for day, count in scores_per_day.items() if day < limit}
    return {day for day in scores_per_day if day >= limit} | snapshot_days(older)
