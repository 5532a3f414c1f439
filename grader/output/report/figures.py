"""Figures of a test as view data: curves (``plots``) and the student's own images.

What the report writes on a figure is in the page's language:

* series names: ``student`` and ``reference`` are the report's own words
  (``report.series_student`` ...); a bracketed qualifier (``reference (sum)``,
  ``student (train)``) and axis labels go through the glossary ``[report.words]`` of the
  message catalogues, which translates whole words and phrases it knows (``iteration``,
  ``epoch``, ``sum`` ...) and leaves symbols (``E``, ``f(x)``) alone. A label a test
  gives in both languages (``{"ja": ..., "en": ...}``) is used as it is.
* curves with a reference per convention show only the student's (:func:`pick_references`):
  the conventions recognised on the same test, else the only one recognised in the job.
* a student's image is shown at the page's full width; its anchor lets the reader open
  it at its own size (``:target`` in the style sheet, no script, no copy of the image).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache

from grader import i18n
from grader.output.report import plots
from grader.results import TestOutcome

Translate = Callable[..., str]
WORDS = "report.words."


@dataclass(frozen=True)
class FigureView:
    title: str
    anchor: str
    chart: plots.Chart | None = None
    image_uri: str | None = None
    note: str = ""
    """What the chart could not show as it is (values cut at the edge), in words."""


def text_in(value: object, lang: str) -> str:
    """The text of a bilingual message (or a plain string) in ``lang``."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


@cache
def _glossary(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    entries = {key[len(WORDS):].replace("_", " ").lower(): value
               for key, value in i18n.catalogue(lang).items() if key.startswith(WORDS)}
    words = sorted(entries, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, words)) + r")(?![\w(])",
                         re.IGNORECASE)
    return pattern, entries


def local_label(value: object, lang: str) -> str:
    """An axis label or series qualifier in ``lang``: bilingual as given, else through
    the glossary (``iteration / 5`` -> ``反復 / 5``)."""
    if isinstance(value, dict):
        return text_in(value, lang)
    text = "" if value is None else str(value)
    if lang == "en" or not text:
        return text
    pattern, entries = _glossary(lang)
    return pattern.sub(lambda match: entries[match.group(0).lower()], text)


def series_names(series: Collection[str], lang: str, t: Translate) -> dict[str, str]:
    """Legend labels: ``reference (sum)`` -> ``参照解 (和)``."""
    own = {"student": t("report.series_student"), "reference": t("report.series_reference")}
    names = {}
    for name in series:
        head, _, rest = name.partition(" ")
        start = own.get(head.lower(), local_label(head, lang))
        names[name] = f"{start} {local_label(rest, lang)}".strip()
    return names


def variant_of(name: str) -> str:
    """``reference (sum)`` -> ``sum``; a name without a bracketed part -> ""."""
    _, _, rest = name.partition(" ")
    rest = rest.strip()
    return rest[1:-1].strip() if rest.startswith("(") and rest.endswith(")") else ""


def pick_references(series: dict[str, object], conventions: Collection[str]
                    ) -> dict[str, object]:
    """Only the reference curve of the student's convention, when there are several.

    The rule: when a curve has two or more series named ``reference (<convention>)`` and
    exactly one of those conventions is in ``conventions`` (what the tests recognised in
    the student's code), the other reference series are left out. Otherwise (nothing
    recognised, a mixed or unknown convention) every series is kept, so nothing that
    could matter is hidden.
    """
    variants = {name: variant_of(name) for name in series
                if plots.kind(name) == "reference" and variant_of(name)}
    if len(variants) < 2:
        return series
    chosen = [name for name, convention in variants.items() if convention in conventions]
    if len(chosen) != 1:
        return series
    return {name: values for name, values in series.items()
            if name not in variants or name == chosen[0]}


def image_uri(artifact: dict) -> str | None:
    data = artifact.get("png_base64")
    if not isinstance(data, str) or not data:
        return None
    try:
        head = base64.b64decode(data[:16], validate=True)
    except (binascii.Error, ValueError):
        return None
    return "data:image/png;base64," + data if head.startswith(b"\x89PNG") else None


def conventions_of(outcome: TestOutcome) -> set[str]:
    return {str(note.get("value")) for note in outcome.notes
            if isinstance(note, dict) and note.get("key") == "convention"}


def _cut_note(chart: plots.Chart, t: Translate) -> str:
    notes = []
    if chart.cut_above is not None and chart.limit_above is not None:
        notes.append(t("report.cut_above", value=plots.label(chart.cut_above),
                       limit=plots.power_label(chart.limit_above)))
    if chart.cut_below is not None and chart.limit_below is not None:
        notes.append(t("report.cut_below", value=plots.label(chart.cut_below),
                       limit=plots.power_label(chart.limit_below)))
    return " ".join(notes)


def figures(outcome: TestOutcome, lang: str, t: Translate, anchor: str,
            job_conventions: Collection[str] = ()) -> tuple[FigureView, ...]:
    """The outcome's figures; ``job_conventions`` are the conventions recognised anywhere
    in the job (used when the outcome itself recognised none)."""
    own = conventions_of(outcome)
    conventions = own or (set(job_conventions) if len(set(job_conventions)) == 1 else set())
    views = []
    for number, artifact in enumerate(outcome.artifacts):
        title = text_in(artifact.get("title"), lang) or str(artifact.get("name", ""))
        figure_anchor = f"{anchor}-f{number}"
        if artifact.get("kind") == "curve" and isinstance(artifact.get("series"), dict):
            series = pick_references(artifact["series"], conventions)
            chart = plots.curve_chart(
                series, title=title, xlabel=local_label(artifact.get("xlabel"), lang),
                ylabel=local_label(artifact.get("ylabel"), lang),
                names=series_names(series, lang, t))
            if chart is not None:
                views.append(FigureView(title=title, anchor=figure_anchor, chart=chart,
                                        note=_cut_note(chart, t)))
        elif artifact.get("kind") == "image":
            uri = image_uri(artifact)
            if uri:
                views.append(FigureView(title=title, anchor=figure_anchor, image_uri=uri))
    return tuple(views)
