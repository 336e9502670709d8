"""A backtest's sample: pupils' indicators and outcomes read from a file (or built from the database), and the
scores a rule set gives them through the same pure scorer the nightly run uses.

The file's columns are indicator codes (prezent.risk.models.Indicator: unexcused_year, failed_subjects, …) or are
mapped to them (`unexcused_year=absences`, optionally scaled: `module_average=G1/2` reads a 0–20 mark as 0–10). An
empty cell is UNKNOWN (None), never 0: the scorer gives it no points and the backtest counts it.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from prezent.core.spreadsheets import SpreadsheetError, file_error, header_key, sheet_open
from prezent.risk.backtest.metrics import Scores
from prezent.risk.models import Indicator
from prezent.risk.scoring import Bands, Criterion, Scorer, matches

TRUE_WORDS = frozenset({"1", "da", "yes", "y", "true", "adevarat", "x"})
FALSE_WORDS = frozenset({"0", "nu", "no", "n", "false", "fals"})
_SCALED = re.compile(r"^(?P<column>.+?)\s*(?P<op>[*/])\s*(?P<factor>[0-9]+(?:[.,][0-9]+)?)$")
_COMPARISON = re.compile(r"^(?P<op><=|>=|<|>|==)\s*(?P<value>-?[0-9]+(?:[.,][0-9]+)?)$")


@dataclass
class Sample:
    """One row per pupil: the indicators (None = unknown), whether the outcome happened, and the group values."""

    indicators: list[dict[str, float | None]]
    outcome: np.ndarray
    groups: dict[str, list[str]] = field(default_factory=dict)
    skipped: int = 0  # rows without an outcome
    columns: dict[str, str] = field(default_factory=dict)  # indicator → the column it was read from


@dataclass(frozen=True)
class Column:
    """Where an indicator comes from: a column, multiplied by `factor`."""

    name: str
    factor: float = 1.0


def mapping_parse(items: Sequence[str]) -> dict[str, Column]:
    """`INDICATOR=COLUMN`, `INDICATOR=COLUMN/2` or `INDICATOR=COLUMN*10` → {indicator: Column}."""
    mapping: dict[str, Column] = {}
    for item in items:
        indicator, sep, column = item.partition("=")
        indicator, column = indicator.strip(), column.strip()
        if not sep or not column:
            raise ValueError(f"--map {item!r}: scrieți INDICATOR=COLOANĂ")
        if indicator not in Indicator.values:
            raise ValueError(f"--map {item!r}: indicatorul {indicator!r} nu există ({', '.join(Indicator.values)})")
        scaled = _SCALED.match(column)
        if scaled:
            factor = float(scaled["factor"].replace(",", "."))
            if factor == 0:
                raise ValueError(f"--map {item!r}: factorul nu poate fi 0")
            mapping[indicator] = Column(scaled["column"], factor if scaled["op"] == "*" else 1 / factor)
        else:
            mapping[indicator] = Column(column)
    return mapping


def number(text: str) -> float | None:
    """A cell as a number: empty → None (unknown); da/nu, yes/no → 1/0; a decimal comma is read."""
    text = text.strip().strip('"').strip()
    if not text:
        return None
    folded = header_key(text)
    if folded in TRUE_WORDS:
        return 1.0
    if folded in FALSE_WORDS:
        return 0.0
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


class OutcomeTest:
    """Whether an outcome cell means "it happened": equal to `positive` (folded), or a comparison ("<10"), or by
    default a yes word (1, da, yes, true). An empty cell is no outcome at all (the row is left out)."""

    def __init__(self, positive: str | None) -> None:
        self.comparison = _COMPARISON.match(positive.strip()) if positive else None
        self.positive = header_key(positive) if positive and not self.comparison else None

    def __call__(self, text: str) -> bool | None:
        text = text.strip()
        if not text:
            return None
        if self.comparison is not None:
            value = number(text)
            return None if value is None else matches(value, self.comparison["op"], float(self.comparison["value"]))
        if self.positive is not None:
            return header_key(text) == self.positive
        return header_key(text) in TRUE_WORDS


def sample_read(
    path: Path,
    *,
    outcome: str,
    positive: str | None = None,
    mapping: Mapping[str, Column] | None = None,
    groups: Sequence[str] = (),
) -> Sample:
    """Read a CSV or XLSX file (prezent.core.spreadsheets: `;` `,` or tab, UTF-8 or Windows-1250) into a Sample, or
    raise SpreadsheetError naming the line."""
    mapping = dict(mapping or {})
    is_positive = OutcomeTest(positive)
    with sheet_open(path, header_names=[outcome], header_label=f"„{outcome}”") as sheet:
        columns = sheet.columns()
        outcome_at = columns[header_key(outcome)]
        sources: dict[str, tuple[int, float, str]] = {}
        for code in Indicator.values:
            if code in mapping:
                at = columns.get(header_key(mapping[code].name))
                if at is None:
                    raise file_error(f"Coloana „{mapping[code].name}” (pentru {code}) lipsește din fișier.")
                sources[code] = (at, mapping[code].factor, mapping[code].name)
            elif header_key(code) in columns:
                sources[code] = (columns[header_key(code)], 1.0, code)
        if not sources:
            raise file_error("Nicio coloană nu este un indicator: folosiți coduri de indicator sau --map.")
        group_at = {}
        for name in groups:
            if header_key(name) not in columns:
                raise file_error(f"Coloana de grup „{name}” lipsește din fișier.")
            group_at[name] = columns[header_key(name)]
        rows: list[dict[str, float | None]] = []
        outcomes: list[bool] = []
        group_values: dict[str, list[str]] = {name: [] for name in groups}
        skipped = 0
        for line, row in sheet.data_rows():
            try:
                happened = is_positive(_text(sheet.cell(row, outcome_at)))
                values: dict[str, float | None] = dict.fromkeys(Indicator.values)
                for code, (at, factor, _name) in sources.items():
                    value = number(_text(sheet.cell(row, at)))
                    values[code] = None if value is None else value * factor
            except ValueError as error:
                raise file_error(f"Rândul {line}: valoare care nu este număr ({error}).") from error
            if happened is None:
                skipped += 1
                continue
            rows.append(values)
            outcomes.append(happened)
            for name, at in group_at.items():
                group_values[name].append(_text(sheet.cell(row, at)).strip())
    if not rows:
        raise file_error("Fișierul nu are niciun rând cu rezultat.")
    return Sample(
        indicators=rows,
        outcome=np.array(outcomes, dtype=bool),
        groups=group_values,
        skipped=skipped,
        columns={code: name for code, (_at, _factor, name) in sources.items()},
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sample_score(
    sample_rows: Sequence[Mapping[str, float | None]], criteria: Sequence[Criterion], bands: Bands
) -> Scores:
    """Score every row with the rule set through the pure scorer: points, level, criteria fired, unknowns."""
    scorer = Scorer(criteria, bands)
    used = scorer.criteria
    indicators = list(dict.fromkeys(c.indicator for c in used))
    points, levels, fired, unknown = [], [], [], []
    for values in sample_rows:
        result = scorer.score(values, language="ro")
        points.append(result.points)
        levels.append(result.level)
        fired.append(scorer.fired(values))
        unknown.append([indicator in result.unknown for indicator in indicators])
    n = len(sample_rows)
    return Scores(
        points=np.array(points, dtype=int),
        levels=levels,
        fired=np.array(fired, dtype=bool).reshape(n, len(used)),
        unknown=np.array(unknown, dtype=bool).reshape(n, len(indicators)),
        criteria=used,
        indicators=indicators,
    )


__all__ = ["Column", "Sample", "SpreadsheetError", "mapping_parse", "sample_read", "sample_score"]
