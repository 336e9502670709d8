"""The results dashboard's "risk levels over time" counts only the days whose scores are all kept
(prezent/risk/retention.py)."""

import datetime

from prezent.results.selectors import risk_levels_over_time
from prezent.risk.models import RiskScore
from prezent.risk.services import risk_defaults_load

TODAY = datetime.date(2026, 11, 29)
D = datetime.date


def test_risk_levels_over_time_count_only_whole_days(world):
    """After thinning, an old day keeps only the children whose score changed: the chart must not count it."""
    rule_set = risk_defaults_load(county_code=world.school_a.county_code)
    days = {D(2026, 5, 4): 3, D(2026, 5, 5): 1, D(2026, 11, 27): 3}  # 5 May: one child left after thinning
    children = [world.child_a1, world.child_a1_other, world.child_a2]
    RiskScore.objects.bulk_create(
        RiskScore(
            child=child,
            school=world.school_a,
            computed_on=day,
            rule_set=rule_set,
            points=1,
            level="low",
            is_current=day == D(2026, 11, 27),
        )
        for day, count in days.items()
        for child in children[:count]
    )
    rows = risk_levels_over_time(programme=world.programme, end=TODAY)
    assert [(row.day, row.total) for row in rows] == [(D(2026, 5, 4), 3), (D(2026, 11, 27), 3)]
