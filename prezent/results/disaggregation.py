"""Disaggregation and small-cell suppression on plain values (no database).

A figure about children is broken down by sex, Roma (only for the roles allowed), level, grade, school, commune and
rural/urban. Any cell counting between 1 and 4 children is suppressed wherever it is shown or exported, so no
child can be singled out. The total of every breakdown is shown (the figure's count), so the total minus the shown
cells must never give a hidden cell away: `suppress` decides for the whole breakdown and also hides the next
smallest cells (complementary suppression) until at least two cells are hidden and they hold at least 5 children
together. For the Roma split (two cells) this hides both cells when either is small.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SMALL_CELL = 5
# How a cell hidden by complementary suppression is shown: it is not under 5, so it is not shown as "<5".
HIDDEN = _("ascuns")

DIMENSIONS: tuple[tuple[str, object], ...] = (
    ("sex", _("sex")),
    ("roma", _("etnie romă (declarată)")),
    ("level", _("nivel")),
    ("grade", _("clasa")),
    ("school", _("școală")),
    ("commune", _("comună")),
    ("environment", _("mediu")),
)
DIMENSION_LABELS = dict(DIMENSIONS)
ROMA_DIMENSION = "roma"


@dataclass(frozen=True)
class Placement:
    """Where a child counts: sex, and the class they were last enrolled in on or before the period's end."""

    sex: str
    level: str
    grade: int | None
    school_id: int | None
    commune_id: int | None
    environment: str

    def key(self, dimension: str) -> str:
        value = getattr(self, f"{dimension}_id" if dimension in ("school", "commune") else dimension)
        return "" if value is None else str(value)


UNKNOWN_PLACEMENT = Placement(sex="", level="", grade=None, school_id=None, commune_id=None, environment="")


@dataclass
class Cell:
    key: str
    label: str
    count: int  # children in the cell
    value: float | None  # the figure for the cell (a count, or a mean for per-child indicators)
    suppressed: bool = False
    # Hidden only so that the total minus the shown cells gives no small cell away (the cell itself is not small).
    complementary: bool = False

    @property
    def shown(self) -> str:
        if self.complementary:
            return str(HIDDEN)
        if self.suppressed:
            return f"<{SMALL_CELL}"
        if self.value is None:
            return "–"
        return format_number(self.value)


@dataclass
class Breakdown:
    dimension: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS.get(self.dimension, self.dimension))


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """Romanian number format: 1.445 and 3,5."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.{decimals}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def is_small(count: int) -> bool:
    return 0 < count < SMALL_CELL


def suppress(cells: list[Cell]) -> list[Cell]:
    """Decide the suppression of a whole breakdown (the only place cells are hidden).

    First every small cell (1–4 children) is hidden. The breakdown's total is shown next to it, so when exactly one
    cell is hidden, or the hidden cells hold fewer than 5 children together, the total minus the shown cells would
    give them away: the next smallest shown cells are hidden too (marked `complementary`) until at least two cells
    are hidden and they hold at least 5 children. A hidden cell loses its value."""
    hidden = [c for c in cells if is_small(c.count)]
    if hidden:
        candidates = sorted((c for c in cells if c.count > 0 and not is_small(c.count)), key=lambda c: c.count)
        while candidates and (len(hidden) < 2 or sum(c.count for c in hidden) < SMALL_CELL):
            cell = candidates.pop(0)
            cell.complementary = True
            hidden.append(cell)
    for cell in hidden:
        cell.suppressed = True
        cell.value = None
    return cells


def hide_all(shown: Breakdown) -> Breakdown:
    """Hide every cell of a breakdown whose figure is hidden (its cells would add up to the hidden figure)."""
    for cell in shown.cells:
        if not cell.suppressed:
            cell.suppressed, cell.complementary = True, True
        cell.value = None
    return shown


def breakdown(
    *,
    dimension: str,
    child_ids: Iterable[int],
    placements: Mapping[int, Placement],
    labels: Mapping[str, str],
    per_child: Mapping[int, float] | None = None,
    roma_ids: frozenset[int] | None = None,
    keys: Mapping[int, str] | None = None,
) -> Breakdown:
    """One dimension's cells for the counted children. With `per_child`, a cell's value is the mean of its
        children's values; otherwise it is the number of children. The cells hold the real counts: pass the result
    through `for_display` before showing or exporting it. `keys` (from `placement_keys`) gives each child's cell
    when several figures are broken down by the same placements: it is then not worked out again for each figure."""
    members: dict[str, list[int]] = {}
    if dimension == ROMA_DIMENSION:
        for child_id in child_ids:
            key = "roma" if roma_ids is not None and child_id in roma_ids else "other"
            members.setdefault(key, []).append(child_id)
    else:
        key_of = keys if keys is not None else placement_keys(placements, dimension)
        for child_id in child_ids:
            members.setdefault(key_of.get(child_id, ""), []).append(child_id)
    unknown = str(_("necunoscut"))
    cells = []
    for key, ids in members.items():
        if per_child is None:
            value: float | None = float(len(ids))
        else:
            values = [per_child[i] for i in ids if i in per_child]
            value = sum(values) / len(values) if values else None
        cells.append(Cell(key=key, label=labels.get(key, key) or unknown, count=len(ids), value=value))
    cells.sort(key=lambda c: (c.label == unknown, _sort_key(dimension, c)))
    return Breakdown(dimension=dimension, cells=cells)


def placement_keys(placements: Mapping[int, Placement], dimension: str) -> dict[int, str]:
    """Each placed child's cell key in `dimension` (a child with no placement falls in the cell "")."""
    return {child_id: placement.key(dimension) for child_id, placement in placements.items()}


def _sort_key(dimension: str, cell: Cell) -> tuple[int, str]:
    if dimension == "grade" and cell.key.lstrip("-").isdigit():
        return (int(cell.key), "")
    return (0, cell.label)


def for_display(raw: Breakdown) -> Breakdown:
    """A copy of the breakdown with its small cells, and the cells that would give them away, suppressed: the only
    form that is shown or exported (pages, charts, spreadsheets, PDF and `export_indicators`)."""
    cells = [Cell(key=c.key, label=c.label, count=c.count, value=c.value) for c in raw.cells]
    return Breakdown(dimension=raw.dimension, cells=suppress(cells))


def breakdown_from_stored(rows: list[dict], *, dimension: str) -> Breakdown:
    """A breakdown frozen when a period was locked (real counts; suppress with `for_display`)."""
    return Breakdown(
        dimension=dimension,
        cells=[Cell(key=r["key"], label=r["label"], count=r["count"], value=r["value"]) for r in rows],
    )


def breakdown_to_stored(raw: Breakdown) -> list[dict]:
    return [{"key": c.key, "label": c.label, "count": c.count, "value": c.value} for c in raw.cells]


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None
