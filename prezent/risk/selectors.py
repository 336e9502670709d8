"""Reads of the scoring engine: a county's rule set in force, and a child's scores.

The child passed in must come from a scoped selector (`child_get_for_user_or_404`): these functions do not check
who asks.
"""

from django.db.models import QuerySet

from prezent.children.models import Child
from prezent.risk.models import RiskScore, RuleSet
from prezent.risk.scoring import Bands, Criterion


def rule_set_current(*, county_code: str) -> RuleSet | None:
    """The county's rule set in force: its latest version that is not merely proposed (by a backtest's fit)."""
    return RuleSet.objects.filter(county_code=county_code, proposed=False).order_by("-version").first()


def rule_set_criteria(*, rule_set: RuleSet) -> list[Criterion]:
    return [
        Criterion(indicator=c.indicator, operator=c.operator, threshold=float(c.threshold), points=c.points)
        for c in rule_set.criteria.order_by("pk")
    ]


def rule_set_bands(*, rule_set: RuleSet) -> Bands:
    return Bands(low_from=rule_set.low_from, medium_from=rule_set.medium_from, high_from=rule_set.high_from)


def risk_score_current_for(*, child: Child) -> RiskScore | None:
    return RiskScore.objects.filter(child=child, is_current=True).select_related("rule_set").first()


def risk_score_history(*, child: Child) -> QuerySet[RiskScore]:
    """The child's scores, newest first, each with the rule-set version it used."""
    return RiskScore.objects.filter(child=child).select_related("rule_set").order_by("-computed_on", "-pk")
