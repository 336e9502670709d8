from prezent.results.disaggregation import (
    Cell,
    Placement,
    breakdown,
    for_display,
    format_number,
    suppress,
)


def _placements(n_a: int, n_b: int) -> dict[int, Placement]:
    placements = {}
    for i in range(n_a):
        placements[i] = Placement("F" if i % 2 else "M", "primary", 3, 1, 10, "rural")
    for i in range(n_a, n_a + n_b):
        placements[i] = Placement("F", "lower_secondary", 6, 2, 20, "urban")
    return placements


def test_cells_under_five_are_suppressed_and_zero_or_five_are_not():
    placements = _placements(5, 4)
    raw = breakdown(dimension="school", child_ids=placements, placements=placements, labels={"1": "A", "2": "B"})
    shown = {c.label: c for c in for_display(raw).cells}
    assert (shown["B"].value, shown["B"].suppressed, shown["B"].shown) == (None, True, "<5")
    # with the total shown, A would give B away: A is hidden as its complement, not as a small cell
    assert (shown["A"].value, shown["A"].complementary, shown["A"].shown) == (None, True, "ascuns")
    assert {c.label: c.count for c in raw.cells} == {"A": 5, "B": 4}  # the raw breakdown keeps the real counts
    cells = {c.label: c for c in suppress([_cell("A", 5), _cell("B", 4), _cell("C", 3), _cell("D", 0)])}
    assert [cells[k].shown for k in "ABCD"] == ["5", "<5", "<5", "0"]  # 4 + 3 hidden together: nothing more


def _cell(label: str, count: int) -> Cell:
    return Cell(key=label, label=label, count=count, value=float(count))


def test_roma_split_is_suppressed_on_both_sides_when_either_is_small():
    placements = _placements(10, 0)
    shown = for_display(
        breakdown(
            dimension="roma",
            child_ids=placements,
            placements=placements,
            labels={"roma": "romi", "other": "ceilalți"},
            roma_ids=frozenset({0, 1}),
        )
    )
    assert all(c.suppressed for c in shown.cells)
    assert len(shown.cells) == 2
    bigger = for_display(
        breakdown(
            dimension="roma",
            child_ids=placements,
            placements=placements,
            labels={"roma": "romi", "other": "ceilalți"},
            roma_ids=frozenset(range(5)),
        )
    )
    assert sorted(c.value for c in bigger.cells) == [5.0, 5.0]


def test_a_mean_cell_is_the_mean_of_its_children_and_hidden_under_five():
    placements = _placements(6, 2)
    per_child = {i: float(i) for i in range(8)}
    shown = for_display(
        breakdown(
            dimension="environment",
            child_ids=placements,
            placements=placements,
            labels={"rural": "rural", "urban": "urban"},
            per_child=per_child,
        )
    )
    cells = {c.key: c for c in shown.cells}
    assert cells["urban"].suppressed and cells["urban"].value is None
    # the mean of all 8 and the 6 rural children's mean would give the urban mean away: rural is hidden too
    assert cells["rural"].complementary and cells["rural"].value is None
    three = {i: Placement("M", "primary", 3, 1, 10, "rural" if i < 6 else "urban" if i < 8 else "") for i in range(13)}
    shown = for_display(
        breakdown(
            dimension="environment",
            child_ids=three,
            placements=three,
            labels={"rural": "rural", "urban": "urban"},
            per_child={i: float(i) for i in range(13)},
        )
    )
    cells = {c.key: c for c in shown.cells}
    assert cells["rural"].value == 2.5 and not cells["rural"].suppressed  # the mean of children 0–5
    assert cells["urban"].suppressed and cells[""].complementary  # 2 urban, hidden with the next smallest (5 unknown)


def test_numbers_are_written_the_romanian_way():
    assert format_number(1445) == "1.445"
    assert format_number(92.25, 1) == "92,2" or format_number(92.25, 1) == "92,3"
    assert format_number(None) == "–"
