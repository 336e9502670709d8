"""Builders for the screening tests; the fixtures are in conftest.py."""

import datetime

from prezent.programme.models import Screening, ScreeningResult
from prezent.risk.models import RuleSet
from prezent.risk.scoring import Reason, ScoreResult

TODAY = datetime.date(2026, 11, 28)
MONDAY = datetime.date(2026, 11, 23)

UNEXCUSED_14 = Reason("unexcused_module", 14.0, ">=", 10.0, 2, "14 ore nemotivate în modulul curent (prag: 10)")
STREAK_3 = Reason(
    "streak_days", 3.0, ">=", 3.0, 2, "absent nemotivat toată ziua, 3 zile de școală la rând până acum (prag: 3)"
)
BENEFIT = Reason("social_benefit", 1.0, "==", 1.0, 1, "familia primește ajutor social")

SCORES = {
    "none": ScoreResult(0, "none", []),
    "low": ScoreResult(1, "low", [BENEFIT]),
    "medium": ScoreResult(5, "medium", [UNEXCUSED_14, STREAK_3, BENEFIT]),
    "high": ScoreResult(9, "high", [UNEXCUSED_14, STREAK_3, BENEFIT]),
}


class FakeEngine:
    """Stands in for `risk_scores_compute`: each child gets the level set for it ("none" by default)."""

    def __init__(self) -> None:
        self.levels: dict[int, str] = {}
        self.calls: list[int] = []

    def set(self, child, level: str) -> None:
        self.levels[child.pk] = level

    def __call__(self, *, child_ids, on, rule_set) -> dict[int, ScoreResult]:
        self.calls.append(len(child_ids))
        return {child_id: SCORES[self.levels.get(child_id, "none")] for child_id in child_ids}


def make_screening(world, rule_set: RuleSet, schools, *, delegate: bool = True, run_on=TODAY) -> Screening:
    screening = Screening.objects.create(
        programme=world.programme,
        run_on=run_on,
        rule_set=rule_set,
        delegate_to_schools=delegate,
        created_by=world.users.county,
    )
    screening.schools.set(schools)
    return screening


def make_result(screening: Screening, child, school, *, level: str = "medium", decision: str = "proposed"):
    score = SCORES[level]
    return ScreeningResult.objects.create(
        screening=screening,
        child=child,
        school=school,
        points=score.points,
        level=level,
        reasons=[r.as_dict() for r in score.reasons],
        decision=decision,
    )
