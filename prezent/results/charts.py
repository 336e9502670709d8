"""The dashboard's charts, drawn on the server as inline SVG (no library, no JavaScript, printable). Pure functions:
numbers in, coordinates out; every chart is paired with a table of the same numbers in the template."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    text: str
    css: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    target_x: float  # the x of 100 % (the target line)
    label_width: int


def progress_chart(
    items: Sequence[tuple[str, float | None]], *, width: int = 360, row: int = 22, label_width: int = 150
) -> BarChart:
    """Horizontal bars of "% of target" per indicator; the bar stops at 150 % and the 100 % line is drawn."""
    scale = (width - label_width - 8) / 150
    bars = []
    for i, (label, percent) in enumerate(items):
        shown = 0.0 if percent is None else max(0.0, min(percent, 150.0))
        css = "bar-none" if percent is None else "bar-good" if percent >= 100 else "bar-part"
        text = "–" if percent is None else f"{percent:.0f} %"
        bars.append(Bar(y=i * row + 4, width=round(shown * scale, 1), label=label[:28], text=text, css=css))
    return BarChart(
        width=width,
        height=max(len(items), 1) * row + 8,
        bars=bars,
        target_x=round(label_width + 100 * scale, 1),
        label_width=label_width,
    )


@dataclass(frozen=True)
class Series:
    css: str
    segments: list[str]  # SVG polyline point lists; a gap (no data) splits the line
    dots: list[tuple[float, float, str]]


@dataclass(frozen=True)
class LinesChart:
    width: int
    height: int
    series: list[Series]
    grid: list[tuple[float, str]]  # (y, label)
    ticks: list[tuple[float, str]]  # (x, label)


def lines_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    minimum: float,
    maximum: float,
    width: int = 360,
    height: int = 160,
    pad: int = 28,
) -> LinesChart:
    """Lines over the same x labels (e.g. months), with values between `minimum` and `maximum`."""
    inner_w, inner_h = width - pad - 8, height - 2 * 14
    span = (maximum - minimum) or 1
    step = inner_w / max(len(labels) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        clamped = min(max(value, minimum), maximum)
        return round(pad + i * step, 1), round(14 + inner_h * (1 - (clamped - minimum) / span), 1)

    drawn = []
    for css, values in series:
        segments: list[str] = []
        current: list[str] = []
        dots = []
        for i, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = xy(i, value)
            current.append(f"{x},{y}")
            dots.append((x, y, f"{labels[i]}: {value:.1f}".replace(".", ",")))
        if current:
            segments.append(" ".join(current))
        drawn.append(Series(css=css, segments=segments, dots=dots))
    grid = [(xy(0, v)[1], f"{v:.0f}") for v in (minimum, (minimum + maximum) / 2, maximum)]
    ticks = [(xy(i, minimum)[0], label) for i, label in enumerate(labels)]
    return LinesChart(width=width, height=height, series=drawn, grid=grid, ticks=ticks)


@dataclass(frozen=True)
class Stack:
    x: float
    width: float
    label: str
    parts: list[tuple[float, float, str, str]]  # (y, height, css, title)


@dataclass(frozen=True)
class StackChart:
    width: int
    height: int
    stacks: list[Stack]


def stacked_chart(
    columns: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], *, width: int = 360, height: int = 140
) -> StackChart:
    """Columns of stacked parts (css, count, title), each column scaled to the largest total."""
    top = max((sum(n for _css, n, _t in parts) for _label, parts in columns), default=1) or 1
    slot = (width - 8) / max(len(columns), 1)
    inner_h = height - 24
    stacks = []
    for i, (label, parts) in enumerate(columns):
        y: float = 4 + inner_h
        drawn: list[tuple[float, float, str, str]] = []
        for css, count, title in parts:
            h = round(inner_h * count / top, 1)
            y = round(y - h, 1)
            drawn.append((y, h, css, f"{title}: {count}"))
        stacks.append(
            Stack(x=round(4 + i * slot + slot * 0.15, 1), width=round(slot * 0.7, 1), label=label, parts=drawn)
        )
    return StackChart(width=width, height=height, stacks=stacks)
