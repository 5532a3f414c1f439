"""View data for one assignment's section of the class dashboard: counters, the score
distribution, pass rates (hardest first) and the catalogued mistakes diagnosed, each with
the students who made it.

``Summary.counters`` is the place for per-assignment counts: students, graded, missing,
grader errors, late, needing attention; a new one (such as 考察 still to grade) is one
more :class:`Counter`, shown by the template without change.
"""

from __future__ import annotations

import statistics
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from grader.grades import Grade
from grader.output.report import plots
from grader.output.report.views import (
    Catalogue,
    Translate,
    anchor_of,
    level_of,
    message_in,
    percent_of,
)
from grader.results import JobResult, JobStatus, Status, TestOutcome

RATES_SHOWN = 10
"""Hardest tests listed openly per assignment; the others are collapsed."""


@dataclass(frozen=True)
class Column:
    name: str
    short: str
    """``02`` for ``02_perceptron``."""
    title: str
    max_points: float
    anchor: str
    """The assignment's section on this page."""


@dataclass(frozen=True)
class TestRate:
    test_id: str
    title: str
    hidden: bool
    percent: int
    passed: int
    count: int
    other: str
    """Non-passing statuses with counts, e.g. "failed 3, timeout 1"."""


@dataclass(frozen=True)
class StudentLink:
    student_id: str
    href: str


@dataclass(frozen=True)
class MistakeCount:
    mistake_id: str
    text: str
    count: int
    students: int
    links: tuple[StudentLink, ...] = ()
    """The students who made it, each linked to that assignment on their page."""


@dataclass(frozen=True)
class Counter:
    key: str
    """CSS/data hook (``graded``, ``missing`` ...)."""
    label: str
    value: int


@dataclass(frozen=True)
class Band:
    """One segment of an assignment's distribution bar."""

    level: str
    label: str
    count: int
    width: float
    """Percent of the bar."""


@dataclass(frozen=True)
class Summary:
    name: str
    title: str
    count: int
    graded: int
    missing: int
    errors: int
    late: int
    mean: float
    median: float
    max_points: float
    histogram: plots.Histogram | None
    rates: tuple[TestRate, ...]
    mistakes: tuple[MistakeCount, ...]
    short: str = ""
    anchor: str = ""
    counters: tuple[Counter, ...] = ()
    bands: tuple[Band, ...] = ()
    more_rates: tuple[TestRate, ...] = ()
    """Pass rates after the RATES_SHOWN hardest."""
    discussion_href: str = ""
    """The assignment's 考察 grading pages, when it has written questions."""
    discussion_ungraded: int = 0


def _rates(graded: list[JobResult], lang: str, t: Translate) -> list[TestRate]:
    tests: dict[str, list[TestOutcome]] = defaultdict(list)
    for result in graded:
        for outcome in result.outcomes:
            tests[outcome.test_id].append(outcome)
    rates = []
    for test_id, outcomes in tests.items():
        passed = sum(o.status == Status.PASSED for o in outcomes)
        others = Tally(o.status for o in outcomes if o.status != Status.PASSED)
        rates.append(TestRate(
            test_id=test_id, title=message_in(outcomes[0].title, lang) or test_id,
            hidden=outcomes[0].hidden, percent=round(100 * passed / len(outcomes)),
            passed=passed, count=len(outcomes),
            other=", ".join(f"{t('status.' + s)} {n}" for s, n in others.most_common())))
    rates.sort(key=lambda r: (r.passed / r.count, r.test_id))
    return rates


def _bands(own: list[JobResult], grades: dict, t: Translate) -> tuple[Band, ...]:
    tally: Tally[str] = Tally()
    for result in own:
        grade: Grade = grades[(result.student_id, result.assignment)]
        if result.status != JobStatus.GRADED or grade.final is None:
            tally[str(result.status)] += 1
        else:
            tally[level_of(percent_of(grade.final, result.max_points))] += 1
    order = ["lv4", "lv3", "lv2", "lv1", "lv0", "missing", "error"]
    return tuple(Band(level=key, label=t(f"report.band.{key}"), count=tally[key],
                      width=round(100 * tally[key] / len(own), 2))
                 for key in order if tally[key])


def summary(column: Column, own: list[JobResult], grades: dict, lang: str,
             catalogue: Catalogue, t: Translate, href: Callable[[str], str],
             flagged: int, discussion: tuple[int, str] | None = None) -> Summary:
    graded = [r for r in own if r.status == JobStatus.GRADED]
    finals = [g.final for r in graded
              if (g := grades[(r.student_id, r.assignment)]).final is not None]
    mistakes: Tally[str] = Tally()
    students_with: dict[str, list[str]] = defaultdict(list)
    for result in graded:
        for outcome in result.outcomes:
            mistakes.update(outcome.diagnoses)
            for diagnosis in outcome.diagnoses:
                if result.student_id not in students_with[diagnosis]:
                    students_with[diagnosis].append(result.student_id)
    rates = _rates(graded, lang, t)
    texts = catalogue.mistakes.get(column.name, {})
    missing = sum(r.status == JobStatus.MISSING for r in own)
    errors = sum(r.status == JobStatus.ERROR for r in own)
    late = sum(1 for r in own if grades[(r.student_id, r.assignment)].late_penalty > 0)
    counters: tuple[Counter, ...] = (
        Counter("count", t("report.students"), len(own)),
        Counter("graded", t("report.graded_count"), len(graded)),
        Counter("missing", t("report.missing_count"), missing),
        Counter("errors", t("report.error_count"), errors),
        Counter("late", t("report.late_count"), late),
        Counter("attention", t("report.attention_count"), flagged))
    if discussion is not None:
        counters += (Counter("discussion", t("discussion.ungraded_counter"), discussion[0]),)
    anchor = anchor_of(column.name)
    return Summary(
        name=column.name, title=column.title, count=len(own), graded=len(graded),
        missing=missing, errors=errors, late=late,
        mean=round(statistics.fmean(finals), 2) if finals else 0.0,
        median=round(statistics.median(finals), 2) if finals else 0.0,
        max_points=column.max_points,
        histogram=plots.histogram(finals, column.max_points, title=column.title,
                                  xlabel=t("report.points"), ylabel=t("report.students"))
        if finals else None,
        rates=tuple(rates[:RATES_SHOWN]), more_rates=tuple(rates[RATES_SHOWN:]),
        mistakes=tuple(MistakeCount(
            mistake_id=m, text=message_in(texts.get(m), lang), count=n,
            students=len(students_with[m]),
            links=tuple(StudentLink(s, f"{href(s)}#{anchor}") for s in students_with[m]))
            for m, n in mistakes.most_common()),
        short=column.short, anchor=column.anchor, counters=counters,
        bands=_bands(own, grades, t),
        discussion_href=discussion[1] if discussion else "",
        discussion_ungraded=discussion[0] if discussion else 0)
