"""View data for the class dashboard: who needs help, every student's grade, per-test pass
rates, the mistakes diagnosed (with the students who made them), and the downloads.

Built from results and grades like the student pages (``views``); nothing here writes
HTML. What the page shows first:

* **needs attention** (:class:`Attention`): students with a missing submission, a job the
  grader could not finish, a syntax error or a crash in some assignment, or a final grade
  under :data:`ATTENTION_PERCENT` of an assignment's maximum;
* the grade table: one short column per assignment (``02 /39``; the full title on
  hover), each cell coloured by its percentage (``views.LEVELS``) and marked with badges
  (:class:`Badge`) for what went wrong, taken from the job's status and its tests'.

Each assignment's section (``summaries``) carries counters (students, graded, missing,
late, needing attention ...): a new per-assignment count (such as 考察 still to grade) is
one more entry in ``summaries.Summary.counters``.
"""

from __future__ import annotations

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
from grader.output.report.summaries import Column, Summary, summary
from grader.results import JobResult, JobStatus, Status, sum_points

ATTENTION_PERCENT = 60
"""A final grade under this percentage of the maximum puts the student on the list."""
BADGE_STATUSES = (Status.SYNTAX_ERROR, Status.CRASHED, Status.MEMORY, Status.DISK,
                  Status.TIMEOUT, Status.FORBIDDEN)
"""Test statuses that earn a badge in the grade table, in this order."""
ATTENTION_STATUSES = frozenset({Status.SYNTAX_ERROR, Status.CRASHED, Status.MEMORY,
                                Status.DISK})


@dataclass(frozen=True)
class Badge:
    kind: str
    """CSS hook: a status (``syntax_error`` ...), ``missing``, ``error``, ``late``,
    ``adjusted`` or ``low``."""
    label: str
    """A short word for the table."""
    title: str
    """The long form, on hover."""


@dataclass(frozen=True)
class Cell:
    status: str
    final: float | None
    points: float
    max_points: float
    percent: int
    level: str
    """``lv0`` ... ``lv4`` by ``views.LEVELS``, or ``none`` without a grade."""
    badges: tuple[Badge, ...]
    late: bool
    adjusted: bool
    sort: float
    href: str
    """The student's page, at this assignment."""


@dataclass(frozen=True)
class Row:
    student_id: str
    name: str
    href: str
    cells: tuple[Cell | None, ...]
    total: float
    percent: int
    """Total in percent of the maxima of the assignments with a result."""
    attention: bool
    search: str
    """What the filter box matches: id and name, lower case."""


@dataclass(frozen=True)
class Reason:
    """Why one assignment puts a student on the list."""

    column: str
    """The assignment's short name."""
    badges: tuple[Badge, ...]
    href: str


@dataclass(frozen=True)
class Attention:
    student_id: str
    name: str
    href: str
    reasons: tuple[Reason, ...]
    total: float
    search: str


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
    columns: tuple[Column, ...] = ()
    attention: tuple[Attention, ...] = ()
    threshold: int = ATTENTION_PERCENT
    overall: plots.Histogram | None = None
    """Distribution of the students' totals (percent)."""
    max_total: float = 0.0
    legend: tuple[Badge, ...] = ()
    """Every kind of badge, for the legend under the table."""


def short_name(name: str) -> str:
    head = name.split("_")[0]
    return head if 0 < len(head) <= 4 else name[:8]


def _badges(result: JobResult, grade: Grade, t: Translate) -> tuple[Badge, ...]:
    badges = []
    if result.status == JobStatus.MISSING:
        badges.append(Badge("missing", t("report.badge.missing"), t("status.missing")))
    elif result.status == JobStatus.ERROR:
        badges.append(Badge("error", t("report.badge.error"), t("status.error")))
    statuses = {o.status for o in result.outcomes}
    if result.status == JobStatus.GRADED:
        badges += [Badge(str(s), t(f"report.badge.{s}"), t(f"status.{s}"))
                   for s in BADGE_STATUSES if s in statuses]
    if grade.late_penalty > 0 or (grade.late is not None and grade.late.lms_flag):
        badges.append(Badge("late", t("report.badge.late"),
                            t("report.late_mark") + (" " + t("report.penalty_waived")
                                                     if grade.penalty_waived else "")))
    if grade.adjustments:
        badges.append(Badge("adjusted", t("report.badge.adjusted"),
                            t("report.adjusted_mark")))
    return tuple(badges)


def _needs_attention(cell: Cell, t: Translate) -> list[Badge]:
    """Why this cell puts its student on the list (empty: it does not)."""
    reasons = [b for b in cell.badges
               if b.kind in ("missing", "error") or b.kind in ATTENTION_STATUSES]
    if cell.status == JobStatus.GRADED and cell.final is not None \
            and cell.percent < ATTENTION_PERCENT:
        reasons.append(Badge("low", f"{cell.percent}%",
                             t("report.below_threshold", threshold=ATTENTION_PERCENT)))
    return reasons


def dashboard(results: list[JobResult], grades: dict, lang: str, catalogue: Catalogue,
              t: Translate, href: Callable[[str], str],
              downloads: tuple[Download, ...] = (),
              discussion: dict[str, tuple[int, str]] | None = None) -> Dashboard:
    """The class page. ``discussion``: assignment -> (考察 answers not graded yet, link to
    its grading pages), for the assignments with written questions."""
    names = sorted({r.assignment for r in results})
    maxima = {name: max((r.max_points for r in results if r.assignment == name), default=0.0)
              for name in names}
    columns = tuple(Column(name=name, short=short_name(name),
                           title=message_in(catalogue.titles.get(name), lang) or name,
                           max_points=maxima[name], anchor=f"summary-{anchor_of(name)}")
                    for name in names)
    by_student: dict[str, dict[str, JobResult]] = defaultdict(dict)
    for result in results:
        by_student[result.student_id][result.assignment] = result
    rows, attention = [], []
    flagged: dict[str, set[str]] = defaultdict(set)
    for student_id, own in sorted(by_student.items()):
        page = href(student_id)
        cells: list[Cell | None] = []
        reasons: list[Reason] = []
        for column in columns:
            found = own.get(column.name)
            if found is None:
                cells.append(None)
                continue
            grade = grades[(student_id, column.name)]
            percent = percent_of(grade.final, found.max_points)
            cell = Cell(status=found.status, final=grade.final, points=found.points,
                        max_points=found.max_points, percent=percent,
                        level=level_of(percent) if grade.final is not None
                        and found.status != JobStatus.MISSING else "none",
                        badges=_badges(found, grade, t),
                        late=bool(grade.late and grade.late_penalty > 0),
                        adjusted=bool(grade.adjustments),
                        sort=grade.final if grade.final is not None else -1.0,
                        href=f"{page}#{anchor_of(column.name)}")
            cells.append(cell)
            why = _needs_attention(cell, t)
            if why:
                reasons.append(Reason(column=column.short, badges=tuple(why), href=cell.href))
                flagged[column.name].add(student_id)
        student_name = next((r.facts.student_name for r in own.values()
                             if r.facts.student_name), "")
        total = sum_points([c.final or 0.0 for c in cells if c])
        search = f"{student_id} {student_name}".lower()
        rows.append(Row(student_id=student_id, name=student_name, href=page,
                        cells=tuple(cells), total=total,
                        percent=percent_of(total, sum_points([c.max_points for c in cells
                                                              if c])),
                        attention=bool(reasons), search=search))
        if reasons:
            attention.append(Attention(student_id=student_id, name=student_name, href=page,
                                       reasons=tuple(reasons), total=total, search=search))
    attention.sort(key=_urgency)
    summaries = tuple(summary(column, [r for r in results if r.assignment == column.name],
                               grades, lang, catalogue, t, href, len(flagged[column.name]),
                               (discussion or {}).get(column.name))
                      for column in columns)
    percents = [row.percent for row in rows]
    return Dashboard(
        assignments=tuple((c.name, c.title) for c in columns), rows=tuple(rows),
        summaries=summaries, downloads=downloads, has_names=any(row.name for row in rows),
        columns=columns, attention=tuple(attention),
        overall=plots.histogram(percents, 100, title=t("report.overall"),
                                xlabel=t("report.total_percent"),
                                ylabel=t("report.students")) if percents else None,
        max_total=sum_points(list(maxima.values())), legend=_legend(t))


URGENCY = ("error", "missing", "syntax_error", "crashed", "memory", "disk", "low")
"""Order of the attention list: a grader error first, then what blocks grading (nothing
submitted, a file that does not load), then low grades; ties by the number of
assignments concerned, then the total (lowest first)."""


def _urgency(entry: Attention) -> tuple[int, int, float, str]:
    worst = min(URGENCY.index(badge.kind) for reason in entry.reasons
                for badge in reason.badges)
    return worst, -len(entry.reasons), entry.total, entry.student_id


def _legend(t: Translate) -> tuple[Badge, ...]:
    kinds = ["missing", "error", *map(str, BADGE_STATUSES), "late", "adjusted"]
    return tuple(Badge(kind, t(f"report.badge.{kind}"),
                       t(f"status.{kind}") if kind not in ("late", "adjusted")
                       else t(f"report.{kind}_mark")) for kind in kinds)
