"""Benchmark: the pure backtest of a rule set (prezent/risk/backtest/) on a county-sized sample.

Draws N pupils' indicators (default 100,000; `--quick` 10,000) with the shares of known values and outcomes of a
county (absences skewed, ~4 % repeating, ~15 % with the outcome, linked to the indicators), then times, as ratios to
floors measured in the same run:
1. scoring the sample with the default rules through `sample_score` (the pure `Scorer`, criteria fired and unknowns
   recorded) against the floor: numpy's vectorised sum of the same criteria's points (one expression per criterion);
2. `section` (every figure of a backtest, AUC with 1,000 bootstrap draws) against ONE `roc_auc_score` on the same
   scores: the ratio is the price of the intervals (the bootstrap dominates);
3. `fit` (5 × 5 folds of a logistic regression and the proposal) against ONE logistic regression fitted on the whole
   sample.

Run:
    .venv/bin/python bench/bench_backtest.py            # 100,000 pupils
    .venv/bin/python bench/bench_backtest.py --quick    # 10,000 pupils
No database is used.
"""

import argparse
import os
import sys

import _common

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--pupils", type=int, default=100_000, help="pupils to draw (default 100,000)")
parser.add_argument("--quick", action="store_true", help="10,000 pupils")
parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement (median is kept)")
ARGS = parser.parse_args()
if ARGS.quick:
    ARGS.pupils = 10_000

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from prezent.risk.backtest.fitting import design, fit  # noqa: E402
from prezent.risk.backtest.metrics import section  # noqa: E402
from prezent.risk.backtest.sample import sample_score  # noqa: E402
from prezent.risk.defaults import DEFAULT_BANDS, DEFAULT_CRITERIA  # noqa: E402

VECTOR = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
    "==": lambda a, b: np.isclose(a, b, rtol=0, atol=1e-9),
}


def draw(n: int, seed: int = 7) -> tuple[list[dict[str, float | None]], np.ndarray]:
    rng = np.random.default_rng(seed)
    unexcused = rng.gamma(0.6, 12, n).round()
    share = np.minimum(100, unexcused / 3.5)
    repeated = (rng.random(n) < 0.04).astype(float)
    benefit = np.where(rng.random(n) < 0.3, np.nan, (rng.random(n) < 0.2).astype(float))  # 30 % unknown
    conduct = np.where(rng.random(n) < 0.5, np.nan, rng.choice([10.0, 9.0, 8.0, 7.0], n, p=[0.7, 0.2, 0.07, 0.03]))
    logit = -2.6 + 0.05 * unexcused + 1.5 * repeated + 0.6 * np.nan_to_num(benefit)
    outcome = rng.random(n) < 1 / (1 + np.exp(-logit))
    rows = []
    for i in range(n):
        rows.append(
            {
                "unexcused_year": float(unexcused[i]),
                "unexcused_share_year": float(share[i]),
                "absent_share_year": float(share[i] * 1.4),
                "repeated_grade": float(repeated[i]),
                "social_benefit": None if np.isnan(benefit[i]) else float(benefit[i]),
                "conduct": None if np.isnan(conduct[i]) else float(conduct[i]),
            }
        )
    return rows, outcome


def main() -> None:
    print(f"Backtest of the default rules on {ARGS.pupils:,} drawn pupils")
    rows, outcome = draw(ARGS.pupils)
    columns = {c.indicator for c in DEFAULT_CRITERIA}
    arrays = {k: np.array([np.nan if r.get(k) is None else r[k] for r in rows], dtype=float) for k in columns}

    def floor_score() -> np.ndarray:
        points = np.zeros(len(rows), dtype=int)
        for c in DEFAULT_CRITERIA:
            values = arrays[c.indicator]
            known = ~np.isnan(values)
            points += c.points * (known & VECTOR[c.operator](np.nan_to_num(values), c.threshold))
        return points

    scores = sample_score(rows, DEFAULT_CRITERIA, DEFAULT_BANDS)
    assert (floor_score() == scores.points).all(), "the floor must give the same points"
    matrix = design(scores).matrix
    pairs = [
        _common.measure_pair(
            "1 sample_score",
            lambda: sample_score(rows, DEFAULT_CRITERIA, DEFAULT_BANDS),
            floor_score,
            repeat=ARGS.repeat,
            warmup=1,
            floor_name="numpy: the criteria's points summed, vectorised",
        ),
        _common.measure_pair(
            "2 section (AUC + 1,000 bootstrap draws, rates)",
            lambda: section(outcome, scores),
            lambda: roc_auc_score(outcome, scores.points),
            repeat=ARGS.repeat,
            warmup=1,
            floor_name="one roc_auc_score on the same scores",
        ),
        _common.measure_pair(
            "3 fit (5 × 5 folds, proposal)",
            lambda: fit(scores, outcome),
            lambda: LogisticRegression(max_iter=1000).fit(matrix, outcome),
            repeat=ARGS.repeat,
            warmup=1,
            floor_name="one logistic regression on the whole sample",
        ),
    ]
    _common.print_pairs(pairs, title="Backtest (pure computation)")
    result = fit(scores, outcome)
    if result is not None:
        print(f"\n  rules AUC {section(outcome, scores).auc}; fitted (held out) {result.auc}; gain {result.gain}")


if __name__ == "__main__":
    sys.exit(main())
