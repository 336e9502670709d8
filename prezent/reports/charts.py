"""Charts drawn on the server as inline SVG: no chart library, no JavaScript, readable when printed.
Every chart is paired with a table of its numbers in the template."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: str  # the SVG polyline "x,y x,y …"
    dots: list[tuple[float, float, str]]  # (x, y, label)
    bands: list[tuple[float, float, str]]  # (y, height, css class) for the level bands


def line_chart(
    values: Sequence[tuple[str, int]],
    *,
    maximum: int,
    bands: Sequence[tuple[int, str]] = (),
    width: int = 320,
    height: int = 120,
    pad: int = 8,
) -> LineChart:
    """Scale (label, value) pairs into a polyline. `bands` are (from_value, css class), drawn behind the line."""
    top = max([maximum, *(v for _label, v in values)], default=1) or 1
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / max(len(values) - 1, 1)

    def y_of(value: float) -> float:
        return round(pad + inner_h * (1 - value / top), 1)

    dots = [(round(pad + i * step, 1), y_of(value), f"{label}: {value}") for i, (label, value) in enumerate(values)]
    drawn_bands = []
    edges = [*sorted(bands), (top, "")]
    for (start, css), (end, _next) in itertools.pairwise(edges):
        upper = min(end, top)
        if upper > start:
            drawn_bands.append((y_of(upper), round(y_of(start) - y_of(upper), 1), css))
    return LineChart(
        width=width,
        height=height,
        points=" ".join(f"{x},{y}" for x, y, _label in dots),
        dots=dots,
        bands=drawn_bands,
    )
