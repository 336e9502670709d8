"""Disaggregation and small-cell suppression on plain values (no database).

A figure about children is broken down by sex, Roma (only for the roles allowed), level, grade, school, commune and
rural/urban. Any cell counting between 1 and 4 children is suppressed wherever it is shown or exported, so no
child can be singled out; for the Roma split (two complementary cells) both cells are suppressed when either is
small, or the total would give the small one away.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SMALL_CELL = 5

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

    @property
    def shown(self) -> str:
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


def suppress(cells: list[Cell], *, complementary: bool = False) -> list[Cell]:
    """Mark small cells (1–4 children) as suppressed. With `complementary`, one small cell suppresses them all."""
    any_small = any(is_small(c.count) for c in cells)
    for cell in cells:
        if is_small(cell.count) or (complementary and any_small):
            cell.suppressed = True
            cell.value = None
    return cells


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
    """A copy of the breakdown with its small cells suppressed: the only form that is shown or exported."""
    cells = [Cell(key=c.key, label=c.label, count=c.count, value=c.value) for c in raw.cells]
    return Breakdown(dimension=raw.dimension, cells=suppress(cells, complementary=raw.dimension == ROMA_DIMENSION))


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
