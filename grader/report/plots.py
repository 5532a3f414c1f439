"""Figures for the reports, drawn with ``matplotlib.figure.Figure`` (no pyplot).

pyplot keeps global references to every figure; across hundreds of students that leaks
memory and slows down. A bare ``Figure`` is garbage-collected like any object.
"""

from __future__ import annotations

import base64
import io
import math

from matplotlib.figure import Figure

COLORS = {"student": "#d62728", "reference": "#1f77b4"}


def _spans_decades(values: list[float]) -> bool:
    positive = [v for v in values if v is not None and v > 0 and math.isfinite(v)]
    return len(positive) == len([v for v in values if v is not None]) and len(positive) > 1 \
        and max(positive) / min(positive) > 100


def curve_png(series: dict[str, list], xlabel: str, ylabel: str) -> bytes:
    """A line chart of one or more series (the student's against the reference).

    No title inside the image: the page's caption carries it in the reader's language
    (matplotlib's bundled font has no Japanese glyphs).
    """
    figure = Figure(figsize=(6.0, 3.4), dpi=90)
    axes = figure.add_subplot()
    every = [v for values in series.values() for v in values if v is not None]
    for label, values in series.items():
        color = COLORS.get(label.split(" ")[0])
        style = "-" if label.startswith("student") else "--"
        axes.plot(range(len(values)), [math.nan if v is None else v for v in values], style,
                  label=label, color=color, linewidth=1.6 if style == "-" else 1.2)
    if _spans_decades(every):
        axes.set_yscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def histogram_png(values: list[float], maximum: float) -> bytes:
    figure = Figure(figsize=(4.0, 2.6), dpi=90)
    axes = figure.add_subplot()
    bins = min(20, max(5, int(maximum) or 5))
    axes.hist(values, bins=bins, range=(0, maximum or 1), color="#1f77b4", edgecolor="white")
    axes.set_xlabel("points")
    axes.set_ylabel("students")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
