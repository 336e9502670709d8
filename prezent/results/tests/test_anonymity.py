"""k-anonymity of a released table (pure logic): any table comes out with every combination of its
quasi-identifiers shared by at least k rows, by generalising in a fixed order and then suppressing; and the
small-cell suppression of the aggregates, complementary cells included, on the pages and in the spreadsheet."""

import io
import itertools
import random
import re
from html import escape

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from prezent.results.anonymity import K, k_anonymise, smallest_class
from prezent.results.disaggregation import SMALL_CELL, Cell, suppress
from prezent.results.exports import EVALUATOR_GENERALISATION, EVALUATOR_QUASI_IDENTIFIERS
from prezent.results.selectors import report_for

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


# Complementary (secondary) suppression of the aggregate breakdowns: every breakdown is shown with its total (the
# figure's count), so the total minus the shown cells must never give a hidden cell away.


def _cells(*counts: int) -> list[Cell]:
    return [Cell(key=str(i), label=f"c{i}", count=n, value=float(n)) for i, n in enumerate(counts)]


def test_one_small_cell_next_to_a_shown_total_hides_the_next_smallest_cell_too():
    """The Roma children of a period by class: "pregătitoare" 1 and the other grades shown summed to 352 of 353."""
    counts = (1, 37, 34, 49, 40, 40, 53, 59, 40)
    cells = suppress(_cells(*counts))
    hidden = [c for c in cells if c.suppressed]
    assert [(c.count, c.complementary) for c in hidden] == [(1, False), (34, True)]
    assert [c.shown for c in hidden] == ["<5", "ascuns"] and all(c.value is None for c in hidden)
    shown_sum = sum(c.count for c in cells if not c.suppressed)
    assert sum(counts) - shown_sum >= SMALL_CELL  # what the total leaves over holds at least 5 children
    assert sum(counts) - shown_sum == 35  # and it is two cells together, not the small one alone


def test_two_small_cells_that_add_up_to_five_need_nothing_more():
    cells = suppress(_cells(2, 3, 20, 30))
    assert [c.shown for c in cells] == ["<5", "<5", "20", "30"]
    assert not any(c.complementary for c in cells)


def test_small_cells_that_add_up_to_less_than_five_take_the_next_smallest_with_them():
    cells = suppress(_cells(1, 2, 9, 6, 30))
    assert [c.shown for c in cells] == ["<5", "<5", "9", "ascuns", "30"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), max_size=12))
def test_no_hidden_cell_can_be_worked_out_from_the_total(counts):
    cells = suppress(_cells(*counts))
    hidden = [c for c in cells if c.suppressed]
    assert all(c.suppressed for c in cells if 0 < c.count < SMALL_CELL)
    assert not any(c.suppressed for c in cells if c.count == 0)
    if hidden:
        # at least two cells, holding at least 5 children, are hidden together — or the whole breakdown is (its
        # total is then itself under 5 and hidden with the figure)
        assert (len(hidden) >= 2 and sum(c.count for c in hidden) >= SMALL_CELL) or all(
            c.suppressed for c in cells if c.count
        )


def test_the_school_page_hides_the_roma_line_of_a_hidden_group(client, results_world):
    """School b has one child in the target group and no Roma child: the group is "<5", so its "of which Roma" 0
    (which would say that child is not Roma) is hidden too, and so are the girls."""
    client.force_login(results_world.users.me_viewer)
    url = reverse("results:school", args=[results_world.school_b.pk]) + f"?perioada={results_world.p2.pk}"
    html = client.get(url).content.decode()
    lines = {
        re.sub(r"<[^>]+>", "", tr.split("</td>", 1)[0]).strip(): re.findall(r'<td class="num">([^<]*)</td>', tr)
        for tr in re.findall(r"<tr><td>(.*?)</tr>", html, re.S)
    }
    group = next(v for k, v in lines.items() if k.startswith("Copii în grupul țintă"))
    roma = next(v for k, v in lines.items() if k.startswith("din care romi"))
    girls = next(v for k, v in lines.items() if k.startswith("din care fete"))
    assert group == ["&lt;5"] * 3
    assert roma == ["ascuns"] * 3
    # the girls line is hidden either way: "<5" when the child is a girl (a small cell), "ascuns" when a boy (a zero
    # of a hidden group) — the factory draws the child's sex
    assert len(girls) == 3 and set(girls) <= {"&lt;5", "ascuns"}
    report = report_for(
        programme=results_world.programme,
        period=results_world.p2,
        with_roma=True,
        school_ids=frozenset({results_world.school_b.pk}),
    )
    roma_row = report.row("children_roma")
    assert roma_row is not None and roma_row.count == 0  # the real figure is an exact zero
    assert roma_row.suppressed and roma_row.value is None


def test_the_spreadsheet_hides_the_same_cells_as_the_page(client, results_world):
    """Every cell of the "Dezagregare" sheet reads as on the indicator's page, complementary cells included."""
    from openpyxl import load_workbook

    client.force_login(results_world.users.me_viewer)
    period = f"?perioada={results_world.p2.pk}"
    book = load_workbook(io.BytesIO(client.get(reverse("results:indicators_xlsx") + period).content), read_only=True)
    sheet = [row for row in list(book["Dezagregare"].iter_rows(values_only=True))[1:] if row[0] == "children"]
    html = client.get(reverse("results:indicator", args=["children"]) + period).content.decode()
    page = {
        (caption.strip().lower(), label.strip()): value.strip()
        for caption, body in re.findall(r"<caption>(.*?)</caption>(.*?)</tbody>", html, re.S)
        for label, value in re.findall(r'<tr><td>(.*?)</td><td class="num">(.*?)</td>', body)
    }
    assert sheet and len(page) == len(sheet)
    hidden = 0
    for _code, _name, dimension, label, value, count in sheet:
        on_page = page[(str(dimension).lower(), escape(str(label)))]
        if value in ("<5", "ascuns"):
            assert count == value and on_page == escape(value)
            hidden += 1
        else:
            assert on_page == str(value).replace(".0", "")
    by_school = {row[3]: row[4] for row in sheet if row[2] == "școală"}
    # 7 children in school a and 1 in school b: both hidden, in the sheet as on the page
    assert by_school == {results_world.school_a.name: "ascuns", results_world.school_b.name: "<5"}
    assert hidden >= 4
