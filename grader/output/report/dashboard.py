"""View data for the class dashboard: every student's grade, per-test pass rates, the
mistakes diagnosed, and the downloads.

Built from results and grades like the student pages (``views``); nothing here writes
HTML.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from grader.output.report import plots
from grader.output.report.views import Catalogue, Translate, message_in
from grader.results import JobResult, JobStatus, Status, TestOutcome, sum_points


@dataclass(frozen=True)
class Cell:
    status: str
    final: float | None
    points: float
    max_points: float
    late: bool
    adjusted: bool
    sort: float


@dataclass(frozen=True)
class Row:
    student_id: str
    name: str
    href: str
    cells: tuple[Cell | None, ...]
    total: float


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
class MistakeCount:
    mistake_id: str
    text: str
    count: int
    students: int


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


@dataclass(frozen=True)
class Download:
    label: str
    href: str


@dataclass(frozen=True)
class Dashboard:
    assignments: tuple[tuple[str, str], ...]
    """(name, title) of each assignment, in column order."""
    rows: tuple[Row, ...]
    summaries: tuple[Summary, ...]
    downloads: tuple[Download, ...]
    has_names: bool = False
    """Whether any student has a name from the roster (else the column is left out)."""


def dashboard(results: list[JobResult], grades: dict, lang: str, catalogue: Catalogue,
              t: Translate, href: Callable[[str], str],
              downloads: tuple[Download, ...] = ()) -> Dashboard:
    names = sorted({r.assignment for r in results})
    by_student: dict[str, dict[str, JobResult]] = defaultdict(dict)
    for result in results:
        by_student[result.student_id][result.assignment] = result
    rows = []
    for student_id, own in sorted(by_student.items()):
        cells: list[Cell | None] = []
        for name in names:
            found = own.get(name)
            if found is None:
                cells.append(None)
                continue
            grade = grades[(student_id, name)]
            cells.append(Cell(status=found.status, final=grade.final, points=found.points,
                              max_points=found.max_points,
                              late=bool(grade.late and grade.late_penalty > 0),
                              adjusted=bool(grade.adjustments),
                              sort=grade.final if grade.final is not None else -1.0))
        student_name = next((r.facts.student_name for r in own.values()
                             if r.facts.student_name), "")
        rows.append(Row(student_id=student_id, name=student_name, href=href(student_id),
                        cells=tuple(cells),
                        total=sum_points([c.final or 0.0 for c in cells if c])))
    summaries = tuple(_summary(name, [r for r in results if r.assignment == name], grades,
                               lang, catalogue, t) for name in names)
    titles = tuple((name, message_in(catalogue.titles.get(name), lang) or name)
                   for name in names)
    return Dashboard(assignments=titles, rows=tuple(rows), summaries=summaries,
                     downloads=downloads, has_names=any(row.name for row in rows))


def _summary(name: str, own: list[JobResult], grades: dict, lang: str, catalogue: Catalogue,
             t: Translate) -> Summary:
    graded = [r for r in own if r.status == JobStatus.GRADED]
    finals = [g.final for r in graded
              if (g := grades[(r.student_id, r.assignment)]).final is not None]
    tests: dict[str, list[TestOutcome]] = defaultdict(list)
    mistakes: Counter[str] = Counter()
    students_with: dict[str, set[str]] = defaultdict(set)
    for result in graded:
        for outcome in result.outcomes:
            tests[outcome.test_id].append(outcome)
            mistakes.update(outcome.diagnoses)
            for diagnosis in outcome.diagnoses:
                students_with[diagnosis].add(result.student_id)
    rates = []
    for test_id, outcomes in tests.items():
        passed = sum(o.status == Status.PASSED for o in outcomes)
        others = Counter(o.status for o in outcomes if o.status != Status.PASSED)
        rates.append(TestRate(
            test_id=test_id, title=message_in(outcomes[0].title, lang) or test_id,
            hidden=outcomes[0].hidden, percent=round(100 * passed / len(outcomes)),
            passed=passed, count=len(outcomes),
            other=", ".join(f"{t('status.' + s)} {n}" for s, n in others.most_common())))
    rates.sort(key=lambda r: (r.passed / r.count, r.test_id))
    texts = catalogue.mistakes.get(name, {})
    max_points = max((r.max_points for r in own), default=0.0)
    return Summary(
        name=name, title=message_in(catalogue.titles.get(name), lang) or name, count=len(own),
        graded=len(graded), missing=sum(r.status == JobStatus.MISSING for r in own),
        errors=sum(r.status == JobStatus.ERROR for r in own),
        late=sum(1 for r in own if grades[(r.student_id, r.assignment)].late_penalty > 0),
        mean=round(statistics.fmean(finals), 2) if finals else 0.0,
        median=round(statistics.median(finals), 2) if finals else 0.0,
        max_points=max_points,
        histogram=plots.histogram(finals, max_points, title=name, xlabel=t("report.points"),
                                  ylabel=t("report.students")) if finals else None,
        rates=tuple(rates),
        mistakes=tuple(MistakeCount(mistake_id=m, text=message_in(texts.get(m), lang),
                                    count=n, students=len(students_with[m]))
                       for m, n in mistakes.most_common()))
