"""A county map drawn on the server as inline SVG, from coordinates alone: no map tiles, no JavaScript, nothing
fetched from outside (users may be offline; the content security policy allows no external images).

The county's shape is the outline the caller passes (the schools app gives the convex hull of the county's
localities); each place is a dot coloured by its category, with its label as a tooltip and, optionally, a link.
Callers always put the same numbers in a table next to the map, for screen readers and printing.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class MapCategory:
    key: str
    label: str
    colour: str  # an SVG colour: "#1b7f3b"


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    label: str
    category: str  # a MapCategory.key
    href: str = ""


@dataclass(frozen=True)
class _Frame:
    """Equirectangular projection around the county's mean latitude: at county scale the distortion is invisible."""

    west: float
    north: float
    scale: float  # pixels per degree of longitude, shrunk by cos(latitude)
    cos_lat: float
    pad: float

    def xy(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = self.pad + (longitude - self.west) * self.cos_lat * self.scale
        y = self.pad + (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)


def _frame(coordinates: Sequence[tuple[float, float]], *, width: int, pad: float) -> tuple[_Frame, int]:
    latitudes = [lat for lat, _lon in coordinates]
    longitudes = [lon for _lat, lon in coordinates]
    cos_lat = math.cos(math.radians((min(latitudes) + max(latitudes)) / 2))
    span_x = max((max(longitudes) - min(longitudes)) * cos_lat, 1e-6)
    span_y = max(max(latitudes) - min(latitudes), 1e-6)
    scale = (width - 2 * pad) / span_x
    height = round(span_y * scale + 2 * pad)
    return _Frame(west=min(longitudes), north=max(latitudes), scale=scale, cos_lat=cos_lat, pad=pad), height


def county_map_svg(
    *,
    points: Sequence[MapPoint],
    categories: Sequence[MapCategory],
    outline: Sequence[tuple[float, float]] = (),
    title: str,
    width: int = 640,
    radius: float = 5.0,
) -> SafeString:
    """The map as an <svg> element (a SafeString for templates). `outline` is a polygon of (latitude, longitude);
    points without coordinates are the caller's to list apart (they cannot be placed)."""
    coordinates = [*outline, *((p.latitude, p.longitude) for p in points)]
    if not coordinates:
        return format_html('<p class="muted">{}</p>', title)
    pad = radius * 2 + 2
    frame, height = _frame(coordinates, width=width, pad=pad)
    colours = {c.key: c.colour for c in categories}
    parts = [
        format_html(
            '<svg class="county-map" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="map-title" '
            'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{}</title>',
            width,
            height,
            title,
        )
    ]
    if outline:
        polygon = " ".join("{},{}".format(*frame.xy(lat, lon)) for lat, lon in outline)
        parts.append(format_html('<polygon points="{}" fill="#f3f1ea" stroke="#8a8577" stroke-width="1.5"/>', polygon))
    for point in points:
        x, y = frame.xy(point.latitude, point.longitude)
        dot = format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#ffffff" stroke-width="1"><title>{}</title></circle>',
            x,
            y,
            radius,
            colours.get(point.category, "#777777"),
            point.label,
        )
        parts.append(format_html('<a href="{}">{}</a>', point.href, dot) if point.href else dot)
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))


def legend_html(categories: Sequence[MapCategory], counts: dict[str, int] | None = None) -> SafeString:
    """A legend as a list: a coloured square (an SVG, so no inline style is needed) and the label, with a count."""
    items = []
    for category in categories:
        count = f" ({counts.get(category.key, 0)})" if counts is not None else ""
        items.append(
            format_html(
                '<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{}"/></svg> '
                "{}{}</li>",
                category.colour,
                category.label,
                count,
            )
        )
    return mark_safe('<ul class="map-legend">' + "".join(str(i) for i in items) + "</ul>")


def convex_hull(coordinates: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull (Andrew's monotone chain) of (latitude, longitude) pairs, counter-clockwise."""
    unique = sorted(set(coordinates), key=lambda c: (c[1], c[0]))
    if len(unique) <= 2:
        return unique

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1])

    lower: list[tuple[float, float]] = []
    for c in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], c) <= 0:
            lower.pop()
        lower.append(c)
    upper: list[tuple[float, float]] = []
    for c in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], c) <= 0:
            upper.pop()
        upper.append(c)
    return lower[:-1] + upper[:-1]
