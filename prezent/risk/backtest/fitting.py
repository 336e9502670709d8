"""Weights fitted on history: a regularised logistic regression (scikit-learn) on the rule set's own criteria,
judged on pupils it was not fitted on, and turned into a proposed rule-set version.

- Features: one column per criterion (1 when it fires) and one "unknown" column per indicator of the rule set that
  is unknown for some pupils but not all (so a missing register is not read as "no absences"). Constant columns
  are left out.
- Model: L2-regularised logistic regression (C = 1; no class weights, so its probabilities can be calibrated).
- Judged out of sample: with one period (a file) by stratified k-fold cross-validation — every pupil's probability
  comes from a model that did not see them; with several school years, forward in time (fit on one year, test on
  the next: `forward_fit`).
- Proposed points: the criteria's coefficients from the model fitted on everyone, scaled so the largest equals the
  rule set's largest points and rounded (at least 1). A criterion whose coefficient is not positive (it does not
  raise the risk once the others are known) is proposed for removal. The unknown columns get no points: a rule
  set never scores missing data.
- Proposed bands: the same shares of pupils as the current rule set puts at low, medium and high or above — the
  smallest threshold at which the proposal flags no more pupils than the current level does — so adopting the
  weights changes who is flagged, not how many (the workload).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

from prezent.risk.backtest.metrics import (
    BOOTSTRAP,
    TOP_SHARES,
    Calibration,
    Estimate,
    Scores,
    auc,
    calibration,
    criterion_label,
    top_share,
)
from prezent.risk.scoring import LEVEL_RANK, Bands, Criterion

FOLDS = 5
REPEATS = 5
C = 1.0
SEED = 20260901


@dataclass(frozen=True)
class Design:
    matrix: np.ndarray
    names: list[str]
    criterion_columns: list[int]  # index in `matrix` of each criterion kept (None-free), aligned with `criteria`
    criteria: list[Criterion]


def design(scores: Scores) -> Design:
    """The features: criteria fired (0/1) and indicators unknown (0/1), constant columns left out."""
    columns: list[np.ndarray] = []
    names: list[str] = []
    kept_at: list[int] = []
    kept: list[Criterion] = []
    for i, criterion in enumerate(scores.criteria):
        column = scores.fired[:, i].astype(float)
        if column.min() == column.max():
            continue
        kept_at.append(len(columns))
        kept.append(criterion)
        columns.append(column)
        names.append(criterion_label(criterion))
    for i, indicator in enumerate(scores.indicators):
        column = scores.unknown[:, i].astype(float)
        if column.min() == column.max():
            continue
        columns.append(column)
        names.append(f"{indicator} necunoscut")
    n = len(scores.points)
    matrix = np.column_stack(columns) if columns else np.zeros((n, 0))
    return Design(matrix=matrix, names=names, criterion_columns=kept_at, criteria=kept)


def _model() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=1000)


@dataclass
class Fit:
    """The fitted model judged out of sample, and the rule-set version it proposes."""

    method: str
    auc: Estimate  # the model's mean held-out AUC
    rules_auc: Estimate  # the rules' mean AUC on the same held-out folds
    gain: Estimate  # the model's AUC minus the rules', fold by fold
    top: dict[float, Estimate]  # precision at the top share, the model's, per fold
    rules_top: dict[float, Estimate]
    calibration: Calibration
    coefficients: dict[str, float]
    proposed: list[Criterion]  # the proposed version's criteria, in the rule set's order
    removed: list[Criterion]
    untested: list[Criterion]  # never varied in the sample (e.g. never known): kept with their points
    bands: Bands

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "auc": self.auc.as_dict(),
            "rules_auc": self.rules_auc.as_dict(),
            "gain": self.gain.as_dict(),
            "top": {f"{round(share * 100)} %": e.as_dict() for share, e in self.top.items()},
            "rules_top": {f"{round(share * 100)} %": e.as_dict() for share, e in self.rules_top.items()},
            "calibration": self.calibration.as_dict(),
            "coefficients": {k: round(v, 4) for k, v in self.coefficients.items()},
            "proposed": [
                {"indicator": c.indicator, "operator": c.operator, "threshold": c.threshold, "points": c.points}
                for c in self.proposed
            ],
            "removed": [criterion_label(c) for c in self.removed],
            "untested": [criterion_label(c) for c in self.untested],
            "bands": {
                "low_from": self.bands.low_from,
                "medium_from": self.bands.medium_from,
                "high_from": self.bands.high_from,
            },
        }


@dataclass(frozen=True)
class Folds:
    """The model and the rules judged on the same held-out folds: each fold's AUC and precision at the top, and
    every pupil's held-out probability (the mean over the repeats) for the calibration."""

    model_auc: list[float]
    rules_auc: list[float]
    model_top: dict[float, list[float]]
    rules_top: dict[float, list[float]]
    probability: np.ndarray


def mean_interval(values: Sequence[float]) -> Estimate:
    """The mean of per-fold figures with an approximate 95 % interval (mean ± 1.96 standard errors; folds of a
    repeated split overlap, so the interval is on the narrow side)."""
    values = [v for v in values if v is not None and not np.isnan(v)]
    if not values:
        return Estimate(None)
    array = np.asarray(values, dtype=float)
    mean = float(array.mean())
    if len(array) < 2:
        return Estimate(mean)
    half = 1.96 * float(array.std(ddof=1)) / np.sqrt(len(array))
    return Estimate(mean, mean - half, mean + half)


def cross_validated(
    matrix: np.ndarray, outcome: np.ndarray, rules_points: np.ndarray, *, folds: int = FOLDS, seed: int = SEED
) -> Folds:
    """Repeated stratified k-fold: fit on k − 1 parts, judge the model and the rules on the held-out part."""
    y = np.asarray(outcome, dtype=int)
    folds = max(2, min(folds, int(y.sum()), int((1 - y).sum())))
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=REPEATS, random_state=seed)
    model_auc, rules_auc = [], []
    model_top: dict[float, list[float]] = {share: [] for share in TOP_SHARES}
    rules_top: dict[float, list[float]] = {share: [] for share in TOP_SHARES}
    total, seen = np.zeros(len(y)), np.zeros(len(y))
    for train, test in splitter.split(matrix, y):
        if y[train].min() == y[train].max():
            continue
        model = _model().fit(matrix[train], y[train])
        probability = model.predict_proba(matrix[test])[:, 1]
        total[test] += probability
        seen[test] += 1
        if y[test].min() == y[test].max():
            continue
        model_auc.append(float(roc_auc_score(y[test], probability)))
        rules_auc.append(float(roc_auc_score(y[test], rules_points[test])))
        for share in TOP_SHARES:
            model_top[share].append(_value(top_share(y[test], probability, share).precision))
            rules_top[share].append(_value(top_share(y[test], rules_points[test], share).precision))
    return Folds(model_auc, rules_auc, model_top, rules_top, total / np.maximum(seen, 1))


def _value(estimate: Estimate) -> float:
    return float("nan") if estimate.value is None else estimate.value


def points_proposed(
    criteria: Sequence[Criterion], coefficients: Sequence[float], *, max_points: int
) -> tuple[list[Criterion], list[Criterion]]:
    """(kept with new points, removed): coefficients scaled so the largest is `max_points`, rounded, at least 1."""
    largest = max((c for c in coefficients if c > 0), default=0.0)
    kept, removed = [], []
    for criterion, coefficient in zip(criteria, coefficients, strict=True):
        if coefficient <= 0 or largest <= 0:
            removed.append(criterion)
            continue
        points = max(1, round(coefficient / largest * max_points))
        kept.append(Criterion(criterion.indicator, criterion.operator, criterion.threshold, points))
    return kept, removed


def bands_at_same_shares(current_levels: Sequence[str], proposed_points: np.ndarray) -> Bands:
    """The proposal's bands: for each level, the smallest threshold (≥ 1) at which no more pupils are at that
    level or above than under the current rules; thresholds kept in order."""
    n = max(1, len(current_levels))
    points = np.asarray(proposed_points, dtype=int)
    top = int(points.max()) if len(points) else 1
    thresholds: list[int] = []
    for level in ("low", "medium", "high"):
        share = sum(LEVEL_RANK[lv] >= LEVEL_RANK[level] for lv in current_levels) / n
        chosen = top + 1
        for threshold in range(1, top + 2):
            if (points >= threshold).mean() <= share + 1e-12:
                chosen = threshold
                break
        thresholds.append(max(chosen, thresholds[-1] if thresholds else 1))
    return Bands(low_from=thresholds[0], medium_from=thresholds[1], high_from=thresholds[2])


def _pairs(criteria: Sequence[Criterion], kept: Sequence[Criterion]) -> list[tuple[Criterion, Criterion]]:
    """Each original criterion with its re-pointed version (kept preserves order and leaves out the removed)."""
    pairs, rest = [], list(kept)
    for criterion in criteria:
        if rest and (rest[0].indicator, rest[0].operator, rest[0].threshold) == (
            criterion.indicator,
            criterion.operator,
            criterion.threshold,
        ):
            pairs.append((criterion, rest.pop(0)))
    return pairs


def fit(scores: Scores, outcome: np.ndarray, *, folds: int = FOLDS) -> Fit | None:
    """Fit, judge by cross-validation and propose; None when there is nothing to fit (no criterion varies, or
    fewer than two pupils with, or without, the outcome)."""
    y = np.asarray(outcome, dtype=int)
    built = design(scores)
    if not built.criteria or min(int(y.sum()), int((1 - y).sum())) < 2:
        return None  # cross-validation needs two pupils of each outcome at least
    judged = cross_validated(built.matrix, y, scores.points.astype(float), folds=folds)
    model = _model().fit(built.matrix, y)
    coefficients = model.coef_[0]
    proposed, removed, untested, proposed_points = _proposal(built, coefficients, scores)
    return Fit(
        method=(
            f"validare încrucișată stratificată, {max(2, min(folds, int(y.sum()), int((1 - y).sum())))} părți "
            f"× {REPEATS} repetări"
        ),
        auc=mean_interval(judged.model_auc),
        rules_auc=mean_interval(judged.rules_auc),
        gain=mean_interval([m - r for m, r in zip(judged.model_auc, judged.rules_auc, strict=True)]),
        top={share: mean_interval(values) for share, values in judged.model_top.items()},
        rules_top={share: mean_interval(values) for share, values in judged.rules_top.items()},
        calibration=calibration(y, judged.probability),
        coefficients={name: float(c) for name, c in zip(built.names, coefficients, strict=True)},
        proposed=proposed,
        removed=removed,
        untested=untested,
        bands=bands_at_same_shares(scores.levels, proposed_points),
    )


def _proposal(
    built: Design, coefficients: np.ndarray, scores: Scores
) -> tuple[list[Criterion], list[Criterion], list[Criterion], np.ndarray]:
    """(the proposed criteria with their fitted points, those removed, those kept untested, each pupil's points
    under the proposal) from a fitted model's coefficients on the pupils of `scores`."""
    kept, removed = points_proposed(
        built.criteria,
        [float(coefficients[i]) for i in built.criterion_columns],
        max_points=max(c.points for c in scores.criteria),
    )
    new_points = {id(c): k.points for c, k in _pairs(built.criteria, kept)}
    dropped = {id(c) for c in built.criteria} - set(new_points)
    proposed: list[Criterion] = []
    untested: list[Criterion] = []
    proposed_points = np.zeros(len(scores.points), dtype=int)
    for i, criterion in enumerate(scores.criteria):
        if id(criterion) in dropped:
            continue
        if id(criterion) in new_points:
            criterion = Criterion(
                criterion.indicator, criterion.operator, criterion.threshold, new_points[id(criterion)]
            )
        else:
            untested.append(criterion)  # never varies in the sample: no evidence, kept as it is
        proposed.append(criterion)
        proposed_points += scores.fired[:, i] * criterion.points
    return proposed, removed, untested, proposed_points


def _stack(first: Scores, second: Scores) -> Scores:
    return Scores(
        points=np.concatenate([first.points, second.points]),
        levels=[*first.levels, *second.levels],
        fired=np.vstack([first.fired, second.fired]),
        unknown=np.vstack([first.unknown, second.unknown]),
        criteria=first.criteria,
        indicators=first.indicators,
    )


def paired_gain(outcome: np.ndarray, model: np.ndarray, rules: np.ndarray, *, seed: int = SEED) -> Estimate:
    """The model's AUC minus the rules' on the same pupils, with a percentile-bootstrap 95 % interval."""
    y = np.asarray(outcome, dtype=int)
    value = float(roc_auc_score(y, model) - roc_auc_score(y, rules))
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(y), len(y))
        if y[pick].min() == y[pick].max():
            continue
        draws.append(roc_auc_score(y[pick], model[pick]) - roc_auc_score(y[pick], rules[pick]))
    if not draws:
        return Estimate(value)
    low, high = np.percentile(draws, [2.5, 97.5])
    return Estimate(value, float(low), float(high))


def fit_forward(train: Scores, train_outcome: np.ndarray, test: Scores, test_outcome: np.ndarray) -> Fit | None:
    """Forward in time: fit on one school year's pupils, judge on the next year's against the rules (the same
    criteria, so the same columns). None when either year has a single outcome value or nothing varies."""
    y_train = np.asarray(train_outcome, dtype=int)
    y_test = np.asarray(test_outcome, dtype=int)
    if y_train.min() == y_train.max() or y_test.min() == y_test.max():
        return None
    built = design(_stack(train, test))
    if not built.criteria:
        return None
    n = len(y_train)
    model = _model().fit(built.matrix[:n], y_train)
    probability = model.predict_proba(built.matrix[n:])[:, 1]
    rules_points = test.points.astype(float)
    coefficients = model.coef_[0]
    proposed, removed, untested, proposed_points = _proposal(built, coefficients, train)
    return Fit(
        method="înainte în timp: potrivit pe un an școlar, verificat pe următorul",
        auc=auc(y_test, probability),
        rules_auc=auc(y_test, rules_points),
        gain=paired_gain(y_test, probability, rules_points),
        top={share: top_share(y_test, probability, share).precision for share in TOP_SHARES},
        rules_top={share: top_share(y_test, rules_points, share).precision for share in TOP_SHARES},
        calibration=calibration(y_test, probability),
        coefficients={name: float(c) for name, c in zip(built.names, coefficients, strict=True)},
        proposed=proposed,
        removed=removed,
        untested=untested,
        bands=bands_at_same_shares(train.levels, proposed_points),
    )
