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

Layout rules, so that a chart always reads:

* the legend is not drawn inside the plot (the template lists the lines under it);
* the y label is written horizontally *above* the plot and the x label under the tick
  labels, both cut to :data:`MAX_LABEL` characters; the left margin is as wide as the
  longest y tick label, so labels never overlap ticks;
* a logarithmic axis spans whole decades and has ticks at powers of ten only
  (``Tick.exponent``: drawn as 10 with a superscript), every decade up to
  :data:`MAX_DECADE_TICKS` ticks, else every second, third ... decade;
* absurd values are cut (:func:`clip_limits`): values more than :data:`CLIP_DECADES`
  decades beyond the *anchor* values (the reference's and other non-student series', or
  the median magnitude when there are only student series), rounded out to a power of
  ten, are drawn on the edge of the plot, and the chart says so (``Chart.cut_above`` /
  ``cut_below``);
* which series to draw is the caller's choice (``figures.pick_references`` keeps the
  reference of the student's convention).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 480.0, 300.0
TOP, RIGHT, BOTTOM = 26.0, 14.0, 44.0
"""Margins around the plot: the y label sits above it, tick and x labels under it."""
TICK_CHAR = 6.4
"""Approximate width of a tick label's character (11 px digits), for the left margin."""
MAX_LABEL = 64
"""Axis labels longer than this are cut (the full text stays in the figure's caption)."""
MAX_POINTS = 400
"""Points per drawn line; longer series are thinned (first and last kept)."""
CLIP_DECADES = 6
"""How far (in powers of ten) beyond the anchor values a chart still reaches."""
MAX_DECADE_TICKS = 8


@dataclass(frozen=True)
class Tick:
    at: float
    """Position along the axis, in SVG units."""
    label: str
    exponent: str = ""
    """For a power of ten on a log axis: ``label`` is "10" and this the superscript."""


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
    left: float = 40.0
    top: float = TOP
    right: float = WIDTH - RIGHT
    bottom: float = HEIGHT - BOTTOM
    cut_above: float | None = None
    """The largest value drawn on the upper edge instead of where it is (None: none)."""
    cut_below: float | None = None
    """The smallest value drawn on the lower edge instead (None: none)."""
    limit_above: float | None = None
    limit_below: float | None = None


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
    height: float = 200.0
    left: float = 34.0
    top: float = 22.0
    right: float = WIDTH - RIGHT
    bottom: float = 200.0 - 40.0


# ----------------------------------------------------------------------------- numbers


def _finite(value: object) -> float | None:
    kind_of = type(value)  # not isinstance: a bool is no number here
    if kind_of is not float and kind_of is not int:
        return None
    number = float(value)  # type: ignore[arg-type]
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


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(value: float) -> str:
    """``1e7`` -> ``10⁷`` for a power of ten (as in a note about the axis), else label()."""
    exponent = math.log10(value) if value > 0 else 0.5
    if abs(exponent - round(exponent)) < 1e-9:
        return "10" + str(round(exponent)).translate(_SUPERSCRIPT)
    return label(value)


def short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


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


def decades(low: float, high: float) -> tuple[int, int]:
    """The whole decades [10^first, 10^last] around [low, high] (at least one decade)."""
    first = math.floor(math.log10(low) + 1e-9)
    last = math.ceil(math.log10(high) - 1e-9)
    return first, max(last, first + 1)


def log_ticks(low: float, high: float) -> list[int]:
    """Exponents of the powers of ten to mark on a log axis over [low, high]: every
    decade, or every few decades when more than MAX_DECADE_TICKS would be needed."""
    first, last = decades(low, high)
    stride = max(1, math.ceil((last - first) / (MAX_DECADE_TICKS - 1)))
    return list(range(first, last + 1, stride))


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


def kind(name: str) -> str:
    head = name.split(" ")[0].lower()
    return head if head in ("student", "reference") else "other"


# ----------------------------------------------------------------------------- clipping


def clip_limits(parsed: dict[str, list[tuple[float, float | None]]]
                ) -> tuple[float, float | None]:
    """(the largest magnitude drawn, the smallest positive value drawn on a log axis).

    Anchored on the values of the series that are not the student's (the reference, the
    data): a diverging student run never decides the range. With only student series,
    the median magnitude is the anchor (a run that diverges late does not move it).
    """
    anchors = [y for name, points in parsed.items() if kind(name) != "student"
               for _, y in points if y is not None]
    if not anchors:
        every = [abs(y) for points in parsed.values() for _, y in points if y]
        anchors = [statistics.median(every)] if every else [1.0]
    biggest = max(abs(a) for a in anchors) or 1.0
    positive = [a for a in anchors if a > 0]
    # Whole powers of ten, so that a cut line runs along a decade of a log axis.
    high = 10.0 ** math.ceil(math.log10(biggest) + CLIP_DECADES - 1e-9)
    low = 10.0 ** math.floor(math.log10(min(positive)) - CLIP_DECADES + 1e-9) \
        if positive else None
    return high, low


def _clipped(parsed: dict[str, list[tuple[float, float | None]]]
             ) -> tuple[dict[str, list[tuple[float, float | None]]], float | None, float,
                        float | None, float | None]:
    """The series with values beyond the limits moved onto them, and what was cut."""
    high, low = clip_limits(parsed)
    cut_above: float | None = None
    cut_below: float | None = None
    values = [y for points in parsed.values() for _, y in points if y is not None]
    if not values:
        return parsed, None, high, None, low
    smallest, biggest = min(values), max(values)
    drawn_range = [min(max(smallest, -high), high), min(max(biggest, -high), high)]
    log = len(values) > 1 and spans_decades(drawn_range)
    if -high <= smallest and biggest <= high and not (log and low is not None
                                                      and smallest < low):
        return parsed, None, high, None, low  # nothing to cut: the usual case
    out: dict[str, list[tuple[float, float | None]]] = {}
    for name, points in parsed.items():
        kept: list[tuple[float, float | None]] = []
        for x, y in points:
            drawn = y
            if y is not None and abs(y) > high:
                cut_above = max(cut_above or 0.0, abs(y))
                drawn = math.copysign(high, y)
            elif y is not None and log and low is not None and y < low:
                cut_below = y if cut_below is None else min(cut_below, y)
                drawn = low
            kept.append((x, drawn))
        out[name] = kept
    return out, cut_above, high, cut_below, low


# ----------------------------------------------------------------------------- charts


def _tick_width(tick: Tick) -> float:
    return (len(tick.label) + 0.75 * len(tick.exponent)) * TICK_CHAR


def curve_chart(series: dict[str, object], *, title: str, xlabel: str, ylabel: str,
                names: dict[str, str] | None = None) -> Chart | None:
    """A line chart of the series (the student's against the reference), or None if empty.

    ``names`` maps series names to what the legend shows (``student`` -> "your code",
    ``reference (sum)`` -> "reference (sum)" translated). The y axis is logarithmic when
    every value is positive and they span more than two decades.
    """
    names = names or {}
    parsed_raw = {name: _series_points(values) for name, values in series.items()}
    markers_of = {name: markers for name, (_, markers) in parsed_raw.items()}
    parsed, cut_above, high, cut_below, low = _clipped(
        {name: points for name, (points, _) in parsed_raw.items()})
    xs = [x for points in parsed.values() for x, y in points if y is not None]
    ys = [y for points in parsed.values() for _, y in points if y is not None]
    if not ys:
        return None
    log = spans_decades(ys)
    x_low, x_high = min(xs), max(xs)
    if x_high == x_low:
        x_low, x_high = x_low - 1, x_high + 1
    if log:
        exponents = log_ticks(min(ys), max(ys))
        y_low, y_high = float(exponents[0]), float(max(exponents[-1],
                                                       decades(min(ys), max(ys))[1]))
        yticks_values = [(float(k), "10", str(k).replace("-", "−")) for k in exponents]
    else:
        y_low, y_high = min(ys), max(ys)
        pad = (y_high - y_low) * 0.05 if y_high != y_low else (abs(y_low) * 0.1 or 1.0)
        y_low, y_high = y_low - pad, y_high + pad
        yticks_values = [(v, label(v), "") for v in linear_ticks(y_low, y_high)]
    ticks_text = [Tick(0.0, text, exponent) for _, text, exponent in yticks_values]
    left = max(30.0, 12.0 + max(_tick_width(tick) for tick in ticks_text))
    box_left, box_right, box_top, box_bottom = left, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    # Linear maps from data to SVG units: x' = x * x_scale + x_shift (same for y).
    x_scale = (box_right - box_left) / (x_high - x_low)
    x_shift = box_left - x_low * x_scale
    y_scale = -(box_bottom - box_top) / ((y_high - y_low) or 1.0)
    y_shift = box_bottom - y_low * y_scale
    log10 = math.log10

    def sx(x: float) -> float:
        return x * x_scale + x_shift

    lines: list[Line] = []
    for name, points in parsed.items():
        markers = markers_of[name]
        segments: list[str] = []
        current: list[str] = []
        dots: list[tuple[float, float]] = []
        for x, y in _thin(points):
            if y is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            svg_y = (log10(y) if log else y) * y_scale + y_shift
            if markers:
                dots.append((round(x * x_scale + x_shift, 1), round(svg_y, 1)))
            else:
                current.append(f"{x * x_scale + x_shift:.1f},{svg_y:.1f}")
        if current:
            segments.append(" ".join(current))
        if segments or dots:
            line_kind = kind(name)
            lines.append(Line(label=names.get(name, name), kind=line_kind,
                              segments=tuple(segments), markers=markers, dots=tuple(dots),
                              variant=min(3, sum(line.kind == line_kind for line in lines))))
    x_values = linear_ticks(x_low, x_high)
    if all(isinstance(values, list | tuple) for values in series.values()) \
            or all(float(x).is_integer() for x in xs):  # indices: whole ticks only
        x_values = [x for x in x_values if float(x).is_integer()]
    yticks = tuple(Tick(round(value * y_scale + y_shift, 1), text, exponent)
                   for value, text, exponent in yticks_values)
    return Chart(title=title, xlabel=short(xlabel), ylabel=short(ylabel), lines=tuple(lines),
                 log=log, left=round(left, 1),
                 xticks=tuple(Tick(round(sx(x), 1), label(x)) for x in x_values),
                 yticks=yticks, cut_above=cut_above, limit_above=high if cut_above else None,
                 cut_below=cut_below, limit_below=low if cut_below is not None else None)


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
    chart = Histogram(title=title, xlabel=short(xlabel), ylabel=short(ylabel), bars=(),
                      xticks=(), yticks=())
    highest = max(counts) or 1
    y_values = [v for v in linear_ticks(0, highest, min(highest, 5)) if float(v).is_integer()]
    left = max(chart.left, 12.0 + max(len(label(v)) for v in y_values) * TICK_CHAR)
    span_x = chart.right - left
    span_y = chart.bottom - chart.top
    bars = []
    for index, count in enumerate(counts):
        height = count / highest * span_y
        bars.append(Bar(x=round(left + index * span_x / bins + 1, 1),
                        y=round(chart.bottom - height, 1),
                        width=round(span_x / bins - 2, 1), height=round(height, 1),
                        label=f"{label(index * width)}–{label((index + 1) * width)}",
                        count=count))
    return Histogram(
        title=title, xlabel=chart.xlabel, ylabel=chart.ylabel, bars=tuple(bars), left=left,
        xticks=tuple(Tick(round(left + v / top * span_x, 1), label(v))
                     for v in linear_ticks(0, top)),
        yticks=tuple(Tick(round(chart.bottom - v / highest * span_y, 1), label(v))
                     for v in y_values))
