"""Reads of the scoring engine: a county's rule set in force, a child's scores, and what a score could not know.

The child passed in must come from a scoped selector (`child_get_for_user_or_404`): these functions do not check
who asks.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from prezent.children.models import Child
from prezent.risk.models import Indicator, RiskScore, RuleCriterion, RuleSet
from prezent.risk.scoring import Bands, Criterion, unknown_why_text


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


# ---------------------------------------------------------------------------------------------------------------
# Unknown is not zero: the indicators a score could not compute


def risk_score_unknown(*, score: RiskScore) -> list[str]:
    """The indicators of the score's rule set that were unknown for the child (null or missing in the stored
    indicators), in the rule set's order: they gave no points, and they are not "no risk". One query."""
    values = score.indicators if isinstance(score.indicators, dict) else {}
    unknown: list[str] = []
    for indicator in score.rule_set.criteria.order_by("pk").values_list("indicator", flat=True):
        if values.get(indicator) is None and indicator not in unknown:
            unknown.append(indicator)
    return unknown


def unknown_texts(indicators: Iterable[str]) -> list[str]:
    """Unknown indicators in words: "Necunoscut: media generală în ultimul modul (nicio notă înregistrată)"."""
    labels = dict(Indicator.choices)
    return [unknown_why_text(code, str(labels.get(code, code))) for code in indicators]


@dataclass
class PartialData:
    """Children whose current score was computed on partial data: some indicator of their rule set was unknown."""

    scored: int = 0
    partial: int = 0
    by_indicator: dict[str, int] = field(default_factory=dict)  # indicator → children it was unknown for (> 0)

    def add(self, other: "PartialData") -> None:
        self.scored += other.scored
        self.partial += other.partial
        for code, n in other.by_indicator.items():
            self.by_indicator[code] = self.by_indicator.get(code, 0) + n

    @property
    def indicator_rows(self) -> list[tuple[str, str, int]]:
        """(code, label, children) of the indicators unknown for someone, the most often unknown first."""
        labels = dict(Indicator.choices)
        rows = [(code, str(labels.get(code, code)), n) for code, n in self.by_indicator.items() if n]
        return sorted(rows, key=lambda row: (-row[2], row[1]))


def _unknown_q(indicator: str) -> Q:
    """The stored value is JSON null, or the key is missing (a score written before the indicator existed)."""
    return Q(**{f"indicators__{indicator}": None}) | Q(**{f"indicators__{indicator}__isnull": True})


def partial_data_by_school(*, school_ids: Sequence[int]) -> dict[int, PartialData]:
    """Per school, the current scores and how many of them were computed on partial data, in all and per
    indicator (only the indicators of each score's own rule set count). Two queries: the rule sets' indicators,
    and one aggregate over the current scores (the JSON field, on SQLite and PostgreSQL alike)."""
    current = RiskScore.objects.filter(is_current=True, school_id__in=list(school_ids))
    pairs = (
        RuleCriterion.objects.filter(rule_set_id__in=current.values("rule_set_id"), indicator__in=Indicator.values)
        .values_list("rule_set_id", "indicator")
        .distinct()
    )
    by_rule_set: dict[int, set[str]] = defaultdict(set)
    rule_sets_of: dict[str, set[int]] = defaultdict(set)
    for rule_set_id, indicator in pairs:
        by_rule_set[rule_set_id].add(indicator)
        rule_sets_of[indicator].add(rule_set_id)
    if not by_rule_set:
        return {}
    partial_q = reduce(
        or_,
        (
            Q(rule_set_id=rule_set_id) & reduce(or_, (_unknown_q(i) for i in sorted(indicators)))
            for rule_set_id, indicators in sorted(by_rule_set.items())
        ),
    )
    per_indicator = {
        f"u_{indicator}": Count("pk", filter=Q(rule_set_id__in=sorted(ids)) & _unknown_q(indicator))
        for indicator, ids in sorted(rule_sets_of.items())
    }
    rows = (
        current.values("school_id")
        .annotate(scored_n=Count("pk"), partial_n=Count("pk", filter=partial_q), **per_indicator)
        .order_by()
    )
    return {
        row["school_id"]: PartialData(
            scored=row["scored_n"],
            partial=row["partial_n"],
            by_indicator={i: row[f"u_{i}"] for i in sorted(rule_sets_of) if row[f"u_{i}"]},
        )
        for row in rows
    }
