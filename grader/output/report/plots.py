"""Figures for the reports as view data, drawn by the templates as inline SVG.

Why not matplotlib: a report has a few curves per student, and a class has hundreds of
students. matplotlib takes 80-170 ms per small PNG here (most of it text layout and tick
location), which is minutes for a class; building the same line chart as SVG geometry
takes well under a millisecond, stays sharp when a phone zooms in, weighs a few kB, and
lets the browser draw the labels in the page's (Japanese) font. Student figures that
arrive as PNG (the figure a student's own script saved) are embedded as they are.

Everything here is data: ``Chart`` and ``Histogram`` hold coordinates and tick labels in
the SVG's user units; ``templates/_charts.html.j2`` turns them into markup (autoescaped).

A curve artifact's series are either a list of y values (x = index) or, for fit plots,
``{"x": [...], "y": [...], "style": "points" | "line"}``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 480.0, 300.0
LEFT, RIGHT, TOP, BOTTOM = 62.0, 12.0, 12.0, 46.0
MAX_POINTS = 400
"""Points per drawn line; longer series are thinned (first and last kept)."""


@dataclass(frozen=True)
class Tick:
    at: float
    """Position along the axis, in SVG units."""
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    kind: str
    """CSS hook: ``student``, ``reference`` or ``other``."""
    segments: tuple[str, ...]
    """SVG ``points`` strings; a gap (None, NaN, inf) starts a new segment."""
    markers: bool = False
    """Draw points instead of a line (measured data in a fit plot)."""
    dots: tuple[tuple[float, float], ...] = ()
    variant: int = 0
    """How many lines of the same kind come before this one (a second reference curve
    gets another colour)."""


@dataclass(frozen=True)
class Chart:
    title: str
    xlabel: str
    ylabel: str
    lines: tuple[Line, ...]
    xticks: tuple[Tick, ...]
    yticks: tuple[Tick, ...]
    log: bool
    """True when the y axis is logarithmic (the values span more than two decades)."""
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    top: float = TOP
    right: float = WIDTH - RIGHT
    bottom: float = HEIGHT - BOTTOM


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


@dataclass(frozen=True)
class Histogram:
    title: str
    xlabel: str
    ylabel: str
    bars: tuple[Bar, ...]
    xticks: tuple[Tick, ...]
    yticks: tuple[Tick, ...]
    width: float = WIDTH
    height: float = 220.0
    left: float = 50.0
    top: float = 10.0
    right: float = WIDTH - RIGHT
    bottom: float = 220.0 - 44.0


# ----------------------------------------------------------------------------- numbers


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def spans_decades(values: Sequence[float]) -> bool:
    """True when every value is positive and the largest is over 100x the smallest."""
    return bool(values) and min(values) > 0 and len(values) > 1 \
        and max(values) / min(values) > 100


def label(value: float) -> str:
    """A short tick label: 0.5, 12, 1e+06, 2.5e-05."""
    if value == 0:
        return "0"
    text = f"{value:.3g}"
    return text.replace("e+0", "e+").replace("e-0", "e-")


def linear_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering [low, high]."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks: list[float] = []
    value = first
    while value <= high + step * 1e-9 and len(ticks) < 50:
        ticks.append(0.0 if abs(value) < step * 1e-9 else round(value, 12))
        value += step
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten in [low, high], every few decades when the range is wide."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    stride = max(1, math.ceil((last - first) / 8))
    return [10.0 ** k for k in range(first, last + 1, stride)
            if low * (1 - 1e-9) <= 10.0 ** k <= high * (1 + 1e-9)]


def _thin(points: list[tuple[float, float | None]]) -> list[tuple[float, float | None]]:
    if len(points) <= MAX_POINTS:
        return points
    stride = math.ceil(len(points) / MAX_POINTS)
    kept = points[::stride]
    return kept if kept[-1] is points[-1] else [*kept, points[-1]]


def _series_points(values: object) -> tuple[list[tuple[float, float | None]], bool]:
    """(x, y) pairs of one series and whether it is drawn as markers."""
    if isinstance(values, dict):
        xs, ys = values.get("x") or [], values.get("y") or []
        pairs = [(x, _finite(y)) for x, y in zip(xs, ys) if _finite(x) is not None]
        return [(float(x), y) for x, y in pairs], values.get("style") == "points"
    if isinstance(values, list | tuple):
        return [(float(i), _finite(v)) for i, v in enumerate(values)], False
    return [], False


def _kind(name: str) -> str:
    head = name.split(" ")[0].lower()
    return head if head in ("student", "reference") else "other"


def _label(name: str, names: dict[str, str]) -> str:
    """``reference (sum)`` -> ``参照解 (sum)`` when ``names`` translates ``reference``."""
    if name in names:
        return names[name]
    head, _, rest = name.partition(" ")
    return f"{names[head]} {rest}" if head in names and rest else name


# ----------------------------------------------------------------------------- charts


def curve_chart(series: dict[str, object], *, title: str, xlabel: str, ylabel: str,
                names: dict[str, str] | None = None) -> Chart | None:
    """A line chart of the series (the student's against the reference), or None if empty.

    ``names`` translates series labels (``student`` -> "your code"). The y axis is
    logarithmic when every value is positive and they span more than two decades.
    """
    names = names or {}
    parsed = {name: _series_points(values) for name, values in series.items()}
    xs = [x for points, _ in parsed.values() for x, y in points if y is not None]
    ys = [y for points, _ in parsed.values() for _, y in points if y is not None]
    if not ys:
        return None
    log = spans_decades(ys)
    x_low, x_high = min(xs), max(xs)
    if x_high == x_low:
        x_low, x_high = x_low - 1, x_high + 1
    if log:
        y_low, y_high = math.log10(min(ys)), math.log10(max(ys))
    else:
        y_low, y_high = min(ys), max(ys)
        if y_high == y_low:
            pad = abs(y_low) * 0.1 or 1.0
            y_low, y_high = y_low - pad, y_high + pad
        else:
            pad = (y_high - y_low) * 0.05
            y_low, y_high = y_low - pad, y_high + pad
    box_left, box_right, box_top, box_bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def sx(x: float) -> float:
        return box_left + (x - x_low) / (x_high - x_low) * (box_right - box_left)

    def sy(y: float) -> float:
        value = math.log10(y) if log else y
        span = (y_high - y_low) or 1.0
        return box_bottom - (value - y_low) / span * (box_bottom - box_top)

    lines: list[Line] = []
    for name, (points, markers) in parsed.items():
        segments: list[str] = []
        current: list[str] = []
        dots: list[tuple[float, float]] = []
        for x, y in _thin(points):
            if y is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            if markers:
                dots.append((round(sx(x), 1), round(sy(y), 1)))
            else:
                current.append(f"{sx(x):.1f},{sy(y):.1f}")
        if current:
            segments.append(" ".join(current))
        if segments or dots:
            kind = _kind(name)
            lines.append(Line(label=_label(name, names), kind=kind,
                              segments=tuple(segments), markers=markers, dots=tuple(dots),
                              variant=min(3, sum(line.kind == kind for line in lines))))
    x_values = linear_ticks(x_low, x_high)
    if all(float(x).is_integer() for x in xs):
        x_values = [x for x in x_values if float(x).is_integer()]
    y_values = (log_ticks(10 ** y_low, 10 ** y_high) if log
                else linear_ticks(y_low, y_high))
    return Chart(title=title, xlabel=xlabel, ylabel=ylabel, lines=tuple(lines), log=log,
                 xticks=tuple(Tick(round(sx(x), 1), label(x)) for x in x_values),
                 yticks=tuple(Tick(round(sy(y), 1), label(y)) for y in y_values))


def histogram(values: Sequence[float], maximum: float, *, title: str, xlabel: str,
              ylabel: str) -> Histogram:
    """Counts of ``values`` in up to 20 equal bins over [0, maximum]."""
    top = maximum if maximum > 0 else max([*values, 1.0])
    bins = min(20, max(5, math.ceil(top))) if top >= 5 else 5
    width = top / bins
    counts = [0] * bins
    for value in values:
        index = min(bins - 1, max(0, int(value / width))) if width else 0
        counts[index] += 1
    chart = Histogram(title=title, xlabel=xlabel, ylabel=ylabel, bars=(), xticks=(),
                      yticks=())
    span_x = chart.right - chart.left
    highest = max(counts) or 1
    span_y = chart.bottom - chart.top
    bars = []
    for index, count in enumerate(counts):
        height = count / highest * span_y
        bars.append(Bar(x=round(chart.left + index * span_x / bins + 1, 1),
                        y=round(chart.bottom - height, 1),
                        width=round(span_x / bins - 2, 1), height=round(height, 1),
                        label=f"{label(index * width)}–{label((index + 1) * width)}",
                        count=count))
    y_values = [v for v in linear_ticks(0, highest, min(highest, 5)) if float(v).is_integer()]
    return Histogram(
        title=title, xlabel=xlabel, ylabel=ylabel, bars=tuple(bars),
        xticks=tuple(Tick(round(chart.left + v / top * span_x, 1), label(v))
                     for v in linear_ticks(0, top)),
        yticks=tuple(Tick(round(chart.bottom - v / highest * span_y, 1), label(v))
                     for v in y_values))
