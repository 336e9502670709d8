"""How well a score separated the pupils who later had the outcome from those who did not: pure computation on
arrays (no database), every statistic from scikit-learn or SciPy.

- AUC (sklearn `roc_auc_score`): the chance that a pupil with the outcome scores above one without (ties count
  half). 0.5 is a coin, 1.0 perfect. Its 95 % interval is a percentile bootstrap (pupils resampled with
  replacement, drawn as multinomial counts of the distinct score and outcome pairs, which is the same thing; a
  fixed seed so a report is reproducible).
- Precision and recall at the top 5, 10 and 20 % and at each risk level: of the pupils flagged, the share with the
  outcome (precision), and of the pupils with the outcome, the share flagged (recall). A rule set's points have
  few values, so many pupils tie at the cut: a tie at the cut counts in proportion (the expected figure if the
  tied pupils were taken at random), never in file order.
- Rates (outcome rate for each points value, how often each criterion fires with and without the outcome, the
  share of unknown values) have a 95 % Wilson interval (SciPy `binomtest(...).proportion_ci("wilson")`).
- A group with fewer than MIN_OUTCOMES outcomes is flagged: its figures are too uncertain to compare.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve
from sklearn.metrics import roc_auc_score

from prezent.risk.scoring import LEVEL_HIGH, LEVEL_LOW, LEVEL_MEDIUM, LEVEL_RANK, Criterion

TOP_SHARES = (0.05, 0.10, 0.20)
LEVELS = (LEVEL_LOW, LEVEL_MEDIUM, LEVEL_HIGH)
MIN_OUTCOMES = 50
BOOTSTRAP = 1000
SEED = 20260901


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95 % interval (None where it cannot be computed: no pupils, or only one outcome)."""

    value: float | None
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high)}

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if self.low is None or self.high is None:
            return f"{self.value:.3f}"
        return f"{self.value:.3f} [{self.low:.3f}–{self.high:.3f}]"


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def wilson(k: float, n: int) -> Estimate:
    """The share k / n with its 95 % Wilson interval (k rounded to a whole count for the interval)."""
    if n <= 0:
        return Estimate(None)
    whole = min(n, max(0, round(k)))
    interval = binomtest(whole, n).proportion_ci(confidence_level=0.95, method="wilson")
    return Estimate(k / n, float(interval.low), float(interval.high))


def auc(outcome: np.ndarray, score: np.ndarray, *, bootstrap: int = BOOTSTRAP, seed: int = SEED) -> Estimate:
    """roc_auc_score with a percentile-bootstrap 95 % interval; None when only one outcome value is present.

    Resampling pupils with replacement is the same as drawing the counts of each distinct (score, outcome) pair
    from a multinomial: each draw is then one weighted roc_auc_score over the distinct pairs (a rule set's points
    take a few values), not over every pupil — the same interval, a hundred times faster on a county."""
    y = np.asarray(outcome, dtype=bool)
    s = np.asarray(score, dtype=float)
    if y.all() or not y.any():
        return Estimate(None)
    value = float(roc_auc_score(y, s))
    cells, counts = np.unique(np.column_stack([s, y]), axis=0, return_counts=True)
    cell_score, cell_outcome = cells[:, 0], cells[:, 1].astype(bool)
    rng = np.random.default_rng(seed)
    draws = []
    for weights in rng.multinomial(len(y), counts / len(y), size=bootstrap):
        if not weights[cell_outcome].any() or not weights[~cell_outcome].any():
            continue
        draws.append(roc_auc_score(cell_outcome, cell_score, sample_weight=weights))
    if not draws:
        return Estimate(value)
    low, high = np.percentile(draws, [2.5, 97.5])
    return Estimate(value, float(low), float(high))


@dataclass(frozen=True)
class Flagged:
    """Pupils flagged by a cut: how many, precision and recall."""

    label: str
    flagged: float
    precision: Estimate
    recall: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {
            "cut": self.label,
            "flagged": round(self.flagged, 2),
            "precision": self.precision.as_dict(),
            "recall": self.recall.as_dict(),
        }


def _flagged(label: str, outcome: np.ndarray, taken: np.ndarray) -> Flagged:
    """`taken` is each pupil's weight in the flagged set (1, 0, or a fraction for a tie at the cut)."""
    flagged = float(taken.sum())
    hits = float((taken * outcome).sum())
    positives = int(outcome.sum())
    precision = wilson(hits, round(flagged)) if flagged >= 0.5 else Estimate(None)
    return Flagged(label, flagged, precision, wilson(hits, positives))


def top_share(outcome: np.ndarray, score: np.ndarray, share: float) -> Flagged:
    """Precision and recall of the top `share` of pupils by score, ties at the cut taken in proportion."""
    y = np.asarray(outcome, dtype=float)
    s = np.asarray(score, dtype=float)
    k = math.ceil(share * len(s))
    taken = np.zeros(len(s))
    if k > 0:
        cut = np.sort(s)[::-1][k - 1]
        above = s > cut
        tied = s == cut
        taken[above] = 1.0
        taken[tied] = (k - above.sum()) / tied.sum()
    return _flagged(f"top {round(share * 100)} %", y, taken)


def at_level(outcome: np.ndarray, levels: Sequence[str], level: str) -> Flagged:
    """Precision and recall of the pupils at `level` or above."""
    rank = LEVEL_RANK[level]
    taken = np.array([LEVEL_RANK[lv] >= rank for lv in levels], dtype=float)
    return _flagged(f"≥ {level}", np.asarray(outcome, dtype=float), taken)


@dataclass(frozen=True)
class Rate:
    """Among `n` pupils, the share with the outcome (or, for a criterion, the share for which it fired)."""

    key: str
    n: int
    rate: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "n": self.n, "rate": self.rate.as_dict()}


@dataclass(frozen=True)
class Firing:
    """How often a criterion fired among pupils with the outcome and among those without."""

    criterion: str
    points: int
    with_outcome: Estimate
    without_outcome: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "points": self.points,
            "with_outcome": self.with_outcome.as_dict(),
            "without_outcome": self.without_outcome.as_dict(),
        }


def criterion_label(criterion: Criterion) -> str:
    threshold = f"{criterion.threshold:g}"
    return f"{criterion.indicator} {criterion.operator} {threshold}"


@dataclass(frozen=True)
class Scores:
    """What a rule set gave each pupil: points, level, which criteria fired, which indicators were unknown."""

    points: np.ndarray  # (n,) int
    levels: list[str]
    fired: np.ndarray  # (n, criteria) bool
    unknown: np.ndarray  # (n, indicators) bool
    criteria: list[Criterion]
    indicators: list[str]  # the columns of `unknown`

    def subset(self, rows: np.ndarray) -> "Scores":
        return Scores(
            points=self.points[rows],
            levels=[self.levels[i] for i in np.flatnonzero(rows)],
            fired=self.fired[rows],
            unknown=self.unknown[rows],
            criteria=self.criteria,
            indicators=self.indicators,
        )


@dataclass
class Section:
    """The backtest of one population (every pupil, or one group)."""

    pupils: int
    outcomes: int
    auc: Estimate
    top: list[Flagged]
    levels: list[Flagged]
    by_points: list[Rate]
    firing: list[Firing]
    unknown: list[Rate]
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pupils": self.pupils,
            "outcomes": self.outcomes,
            "outcome_rate": wilson(self.outcomes, self.pupils).as_dict(),
            "auc": self.auc.as_dict(),
            "top": [f.as_dict() for f in self.top],
            "levels": [f.as_dict() for f in self.levels],
            "by_points": [r.as_dict() for r in self.by_points],
            "firing": [f.as_dict() for f in self.firing],
            "unknown": [r.as_dict() for r in self.unknown],
            "warnings": list(self.warnings),
        }


def section(outcome: np.ndarray, scores: Scores, *, bootstrap: int = BOOTSTRAP) -> Section:
    """Every figure of the backtest for one population."""
    y = np.asarray(outcome, dtype=bool)
    points = scores.points.astype(float)
    by_points = []
    for value in sorted(set(scores.points.tolist())):
        rows = scores.points == value
        by_points.append(Rate(str(value), int(rows.sum()), wilson(int(y[rows].sum()), int(rows.sum()))))
    positives, negatives = int(y.sum()), int((~y).sum())
    firing = [
        Firing(
            criterion_label(criterion),
            criterion.points,
            wilson(int(scores.fired[y, i].sum()), positives),
            wilson(int(scores.fired[~y, i].sum()), negatives),
        )
        for i, criterion in enumerate(scores.criteria)
    ]
    unknown = [
        Rate(indicator, len(y), wilson(int(scores.unknown[:, i].sum()), len(y)))
        for i, indicator in enumerate(scores.indicators)
    ]
    warnings = []
    if positives < MIN_OUTCOMES:
        warnings.append(f"doar {positives} cazuri cu rezultatul (sub {MIN_OUTCOMES}): cifrele sunt foarte nesigure")
    return Section(
        pupils=len(y),
        outcomes=positives,
        auc=auc(y, points, bootstrap=bootstrap),
        top=[top_share(y, points, share) for share in TOP_SHARES],
        levels=[at_level(y, scores.levels, level) for level in LEVELS],
        by_points=by_points,
        firing=firing,
        unknown=unknown,
        warnings=warnings,
    )


def by_group(
    outcome: np.ndarray, scores: Scores, groups: Mapping[str, Sequence[str]], *, bootstrap: int = BOOTSTRAP
) -> dict[str, dict[str, Section]]:
    """The backtest of each value of each group column (an empty cell is its own group, "(gol)")."""
    y = np.asarray(outcome, dtype=bool)
    result: dict[str, dict[str, Section]] = {}
    for column, values in groups.items():
        labels = np.array([value or "(gol)" for value in values], dtype=object)
        result[column] = {
            str(value): section(y[labels == value], scores.subset(labels == value), bootstrap=bootstrap)
            for value in sorted(set(labels.tolist()))
        }
    return result


@dataclass(frozen=True)
class Calibration:
    """Predicted probability against the observed rate, in bins of equal size (sklearn calibration_curve)."""

    predicted: list[float]
    observed: list[float]

    def as_dict(self) -> dict[str, list[float]]:
        return {
            "predicted": [round(v, 4) for v in self.predicted],
            "observed": [round(v, 4) for v in self.observed],
        }


def calibration(outcome: np.ndarray, probability: np.ndarray, *, bins: int = 10) -> Calibration:
    observed, predicted = calibration_curve(
        np.asarray(outcome, dtype=int), np.asarray(probability, dtype=float), n_bins=bins, strategy="quantile"
    )
    return Calibration(predicted=[float(v) for v in predicted], observed=[float(v) for v in observed])
