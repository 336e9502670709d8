"""k-anonymity of a released table: every combination of its quasi-identifiers is shared by at least K rows.

Pure logic, no Django. A row is a dict of column → text. The quasi-identifiers are the columns someone who knows a
child (a neighbour, a teacher, a journalist) could match against the file: for the evaluators' dataset its sex,
level, class, environment and commune. `k_anonymise` generalises, step by step in the fixed order of `steps`, only
the rows that sit in an equivalence class smaller than k (local recoding: the value becomes "", which reads "any"),
and at the end drops (suppresses) the rows still in a class smaller than k. When every row's full combination of
quasi-identifiers is shared by k rows, so is every sub-combination (a coarser class is a union of finer ones), so
k holds for EVERY combination of the file's quasi-identifiers. Deterministic: the same rows give the same file.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

K = 5
GENERALISED = ""


@dataclass(frozen=True)
class Anonymised:
    """The rows kept (in the order given), k, and what was done: for each generalised column the number of cells
    blanked, and the number of rows suppressed."""

    rows: list[dict[str, str]]
    k: int
    generalised: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0


def _key(row: dict[str, str], columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(row[c] for c in columns)


def _small(rows: Sequence[dict[str, str]], columns: Sequence[str], k: int) -> list[int]:
    sizes = Counter(_key(row, columns) for row in rows)
    return [i for i, row in enumerate(rows) if sizes[_key(row, columns)] < k]


def k_anonymise(
    rows: Sequence[dict[str, str]], *, quasi_identifiers: Sequence[str], steps: Sequence[str], k: int = K
) -> Anonymised:
    """Generalise the columns of `steps`, in that order, in the rows of classes smaller than k; then suppress the
    rows still in such a class. `steps` are quasi-identifiers; the others are left as they are (and suppression
    is their only protection)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    unknown = set(steps) - set(quasi_identifiers)
    if unknown:
        raise ValueError(f"steps outside the quasi-identifiers: {sorted(unknown)}")
    work = [dict(row) for row in rows]
    generalised: dict[str, int] = {}
    for column in steps:
        small = _small(work, quasi_identifiers, k)
        if not small:
            break
        blanked = 0
        for i in small:
            if work[i][column] != GENERALISED:
                work[i][column] = GENERALISED
                blanked += 1
        if blanked:
            generalised[column] = blanked
    dropped = set(_small(work, quasi_identifiers, k))
    kept = [row for i, row in enumerate(work) if i not in dropped]
    return Anonymised(rows=kept, k=k, generalised=generalised, suppressed=len(dropped))


def smallest_class(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> int:
    """The size of the smallest equivalence class over `columns` (0 for no rows)."""
    sizes = Counter(_key(row, columns) for row in rows)
    return min(sizes.values(), default=0)
