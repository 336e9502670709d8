"""k-anonymity of a released table (pure logic): any table comes out with every combination of its
quasi-identifiers shared by at least k rows, by generalising in a fixed order and then suppressing."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prezent.results.anonymity import K, k_anonymise, smallest_class
from prezent.results.exports import EVALUATOR_GENERALISATION, EVALUATOR_QUASI_IDENTIFIERS

QI = EVALUATOR_QUASI_IDENTIFIERS


def _every_combination_has_k(rows: list[dict[str, str]], k: int) -> bool:
    return all(
        smallest_class(rows, combination) >= k or not rows
        for size in range(1, len(QI) + 1)
        for combination in itertools.combinations(QI, size)
    )


def _row(sex: str, level: str, grade: str, environment: str, commune: str, value: str = "") -> dict[str, str]:
    return {
        "sex": sex,
        "nivel": level,
        "clasa": grade,
        "mediu": environment,
        "comuna_siruta": commune,
        "prezenta": value,
    }


_rows = st.lists(
    st.builds(
        _row,
        st.sampled_from(["M", "F", ""]),
        st.sampled_from(["primar", "gimnazial"]),
        st.sampled_from(["I", "II", "V", "VIII", ""]),
        st.sampled_from(["rural", "urban"]),
        st.sampled_from(["95060", "95079", "95122", "95300", ""]),
        st.sampled_from(["90.0", "75.5"]),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(rows=_rows, k=st.integers(min_value=1, max_value=8))
def test_any_table_comes_out_k_anonymous_over_every_combination(rows, k):
    result = k_anonymise(rows, quasi_identifiers=QI, steps=EVALUATOR_GENERALISATION, k=k)
    assert _every_combination_has_k(result.rows, k)
    assert len(result.rows) + result.suppressed == len(rows)
    # deterministic, and the input is left as it was
    again = k_anonymise(rows, quasi_identifiers=QI, steps=EVALUATOR_GENERALISATION, k=k)
    assert again == result
    # a kept row is its input row with some quasi-identifiers blanked, never another value
    originals = list(rows)
    for kept in result.rows:
        assert any(
            all(kept[c] in {"", original[c]} for c in QI) and kept["prezenta"] == original["prezenta"]
            for original in originals
        )


def test_a_hand_built_table():
    """Six boys of class V in commune A stay as they are. Three girls of class V and two of class VI in A, and
    one girl of class V in B, sit in classes under 5: their class is blanked, which makes 5 girls of A; the girl of
    B stays alone through every further step (commune, sex, level, environment) and is suppressed."""
    boys = [_row("M", "gimnazial", "V", "rural", "A") for _ in range(6)]
    girls = [_row("F", "gimnazial", "V", "rural", "A") for _ in range(3)] + [
        _row("F", "gimnazial", "VI", "rural", "A") for _ in range(2)
    ]
    alone = [_row("F", "gimnazial", "V", "rural", "B")]
    result = k_anonymise(boys + girls + alone, quasi_identifiers=QI, steps=EVALUATOR_GENERALISATION)
    assert result.k == K == 5
    assert result.rows[:6] == boys
    assert result.rows[6:] == [_row("F", "gimnazial", "", "rural", "A") for _ in range(5)]
    assert result.generalised == {"clasa": 6, "comuna_siruta": 1, "sex": 1, "nivel": 1, "mediu": 1}
    assert result.suppressed == 1


def test_a_table_with_no_small_class_is_left_alone_and_a_tiny_one_is_suppressed():
    rows = [_row("M", "primar", "I", "rural", "A") for _ in range(5)]
    assert k_anonymise(rows, quasi_identifiers=QI, steps=EVALUATOR_GENERALISATION).rows == rows
    tiny = k_anonymise(rows[:4], quasi_identifiers=QI, steps=EVALUATOR_GENERALISATION)
    assert tiny.rows == [] and tiny.suppressed == 4


def test_steps_must_be_quasi_identifiers():
    with pytest.raises(ValueError, match="steps outside"):
        k_anonymise([], quasi_identifiers=QI, steps=["prezenta"])


def test_a_demo_sized_dataset_keeps_most_rows():
    """About 1,500 children spread like the demo's (a few dozen communes of unequal size, nine grades, two
    sexes): k holds over every combination, and generalising keeps most rows."""
    rng = random.Random(2026)
    communes = [str(95000 + 13 * i) for i in range(40)]
    weights = [1 / (i + 1) for i in range(40)]
    rows = []
    for _ in range(1500):
        grade = rng.randint(0, 8)
        rows.append(
            _row(
                rng.choice("MF"),
                "primar" if grade <= 4 else "gimnazial",
                str(grade),
                rng.choice(["rural", "rural", "urban"]),
                rng.choices(communes, weights)[0],
            )
        )
    before = smallest_class(rows, QI)
    result = k_anonymise(rows, quasi_identifiers=QI, steps=EVALUATOR_GENERALISATION)
    assert before < K
    assert _every_combination_has_k(result.rows, K)
    assert result.suppressed < 0.05 * len(rows)
