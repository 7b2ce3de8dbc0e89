"""Geometry for the inline SVG views: bars, a time axis and an equirectangular map.

Only numbers come out of here; the templates draw them, so Jinja escapes every label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 60


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    value: str  # the figure as written
    series: int = 0  # colour index


@dataclass
class Chart:
    title: str
    unit: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, text) on the value axis
    legend: list[tuple[int, str]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # the full group labels, numbered when too long
    width: int = WIDTH
    height: int = HEIGHT
    source: str = ""  # where the figures come from, as a link


def nice_step(top: float) -> float:
    """A round step giving about five ticks up to top."""
    if top <= 0:
        return 1.0
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def short_number(value: float) -> str:
    for size, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def bars(chart: Chart, groups: list[tuple[str, list[tuple[int, float, str]]]]) -> Chart:
    """Grouped bars: groups of (label, [(series, value, written value)]), scaled to the largest value."""
    top = max((v for _, items in groups for _, v, _ in items), default=0.0)
    step = nice_step(top)
    top = step * math.ceil(top / step) if top > 0 else 1.0
    plot_w, plot_h = chart.width - LEFT - RIGHT, chart.height - TOP - BOTTOM
    slot = plot_w / max(len(groups), 1)
    numbered = any(len(label) > 12 for label, _ in groups)
    chart.groups = [label for label, _ in groups] if numbered else []
    for gi, (label, items) in enumerate(groups):
        shown = str(gi + 1) if numbered else label
        width = min(60.0, slot * 0.8 / max(len(items), 1))
        start = LEFT + gi * slot + (slot - width * len(items)) / 2
        for ii, (series, number, written) in enumerate(items):
            height = plot_h * number / top
            chart.bars.append(Bar(round(start + ii * width, 1), round(TOP + plot_h - height, 1), round(width - 2, 1),
                                  round(height, 1), shown if ii == 0 else "", written, series))
    ticks = round(top / step)
    chart.ticks = [(round(TOP + plot_h - plot_h * i / ticks, 1), short_number(step * i)) for i in range(ticks + 1)]
    return chart


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    href: str
    lat: float
    lon: float
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass
class Map:
    width: int
    height: int
    points: list[Point]
    meridians: list[tuple[float, str]]
    parallels: list[tuple[float, str]]


def equirectangular(places: list[tuple[str, str, float, float]], width: int = WIDTH, margin: float = 5.0) -> Map:
    """Places (label, href, lat, lon) on a plate carrée around their extent, with a 10° graticule."""
    lats = [p[2] for p in places] or [0.0]
    lons = [p[3] for p in places] or [0.0]
    south, north = math.floor((min(lats) - margin) / 10) * 10, math.ceil((max(lats) + margin) / 10) * 10
    west, east = math.floor((min(lons) - margin) / 10) * 10, math.ceil((max(lons) + margin) / 10) * 10
    scale = width / (east - west)
    height = int((north - south) * scale)

    def x(lon: float) -> float:
        return round((lon - west) * scale, 1)

    def y(lat: float) -> float:
        return round((north - lat) * scale, 1)

    points = _placed([Point(x(lon), y(lat), label, href, lat, lon) for label, href, lat, lon in places])
    meridians = [(x(m), f"{abs(m)}°{'E' if m >= 0 else 'W'}") for m in range(int(west), int(east) + 1, 10)]
    parallels = [(y(p), f"{abs(p)}°{'N' if p >= 0 else 'S'}") for p in range(int(south), int(north) + 1, 10)]
    return Map(width, height, points, meridians, parallels)


def _placed(points: list[Point], line: float = 14.0) -> list[Point]:
    """Labels to the right of their points, moved down until no two overlap (nearby cities)."""
    out: list[Point] = []
    for p in sorted(points, key=lambda p: (p.y, p.x)):
        lx, ly = p.x + 7, p.y + 4
        while any(abs(o.label_y - ly) < line and abs(o.label_x - lx) < 8 * max(len(o.label), 4) for o in out):
            ly += line
        out.append(Point(p.x, p.y, p.label, p.href, p.lat, p.lon, lx, ly))
    return out


def year_axis(first: int, last: int, width: int = WIDTH, left: int = 40, right: int = 20) -> tuple[
        list[tuple[float, str]], float]:
    """Ticks every 20 years between first and last, and the pixels per year."""
    per_year = (width - left - right) / max(last - first, 1)
    ticks = [(round(left + (year - first) * per_year, 1), str(year))
             for year in range(first - first % 20 + 20, last + 1, 20)]
    return ticks, per_year
