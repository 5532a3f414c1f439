"""View data for the report pages: results and grades in, plain dataclasses out.

Nothing here writes HTML. ``student_page`` builds one student's page for one of two
audiences: ``instructor`` (everything, with a link back to the dashboard) or ``student``
(what is published: no captured output or technical detail of hidden tests, since
student code can print the hidden inputs it was given, no grader internals, nothing
about any other student). The class page is built by ``dashboard``.

A student page starts with what to fix: per assignment the score, one banner per file
that could not be loaded, the failed tests grouped by cause (``causes``), the conventions
recognised and, when there were several graded submissions, their history. The details
follow: failed tests, the tests a banner covers (without repeating its message), and the
passed tests collapsed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grader.grades import Grade
from grader.i18n import Bilingual
from grader.manifest import Figure, Question
from grader.output.report import causes, figures
from grader.output.report.figures import FigureView, text_in
from grader.results import JobResult, JobStatus, Status, TestOutcome, sum_points

MAX_OUTPUT_CHARS = 8_000
"""Captured output shown per block; the rest is cut with a note."""
MAX_DISCUSSION_CHARS = 20_000
AUDIENCES = ("instructor", "student")

Translate = Callable[..., str]
message_in = text_in
"""The text of a bilingual message (or a plain string) in a language."""


@dataclass(frozen=True)
class Catalogue:
    """Names from the course: assignment titles and the texts of catalogued mistakes."""

    titles: dict[str, Bilingual] = field(default_factory=dict)
    mistakes: dict[str, dict[str, Bilingual]] = field(default_factory=dict)
    """assignment -> mistake id -> message."""
    questions: dict[str, tuple[Question, ...]] = field(default_factory=dict)
    """assignment -> its written questions (考察), graded by hand."""
    figures: dict[str, tuple[Figure, ...]] = field(default_factory=dict)
    """assignment -> the figures collected for people to look at."""


@dataclass(frozen=True)
class Text:
    """A block of student-controlled text, capped."""

    text: str
    cut: int = 0
    """Characters left out."""


def capped(text: str | None, limit: int = MAX_OUTPUT_CHARS) -> Text | None:
    if not text:
        return None
    return Text(text[:limit], max(0, len(text) - limit))


@dataclass(frozen=True)
class TestView:
    title: str
    test_id: str
    hidden: bool
    earned: float
    points: float
    status: str
    status_label: str
    message: str
    notes: tuple[str, ...]
    details: Text | None
    output: Text | None
    withheld: bool
    """Output or detail of a hidden test left out of a student's page."""
    figures: tuple[FigureView, ...]
    anchor: str = ""
    case: str = ""
    """The parametrized case shown in the message (``max``), or ""."""
    cases: int = 1
    cases_passed: int = 0


@dataclass(frozen=True)
class AdjustmentView:
    points: float
    waive_late_penalty: bool
    reason: str
    by: str
    imported_at: str
    source: str


@dataclass(frozen=True)
class LateView:
    days_late: int
    flagged: bool
    """The LMS marked it late but gave no time (days unknown)."""
    deadline: str
    submitted_at: str
    penalty: float
    waived: bool
    policy: str


@dataclass(frozen=True)
class WarningView:
    text: str
    file: str


@dataclass(frozen=True)
class Attempt:
    """One graded submission of an assignment (the gradebook's history)."""

    graded_at: str
    submitted_at: str
    points: float
    max_points: float
    current: bool


@dataclass(frozen=True)
class FailureGroup:
    """The failed tests of one cause, in the details (collapsed when there are many)."""

    cause: causes.Cause
    tests: tuple[TestView, ...]
    open: bool
    anchor: str


OPEN_GROUP_MAX = 6
"""A cause with more failed tests than this starts collapsed in the details (the summary
line at the top links to it)."""


@dataclass(frozen=True)
class AssignmentView:
    name: str
    title: str
    anchor: str
    status: str
    status_note: str
    points: float
    max_points: float
    final: float | None
    adjustment: float
    late: LateView | None
    adjustments: tuple[AdjustmentView, ...]
    started_at: str
    duration: float
    isolation: str
    error: str
    warnings: tuple[WarningView, ...]
    discussion: Text | None
    output: Text | None
    events: tuple[str, ...]
    tests: tuple[TestView, ...]
    passed: int
    failed: int
    conventions: tuple[str, ...] = ()
    """The conventions recognised (each accepted by the slides), one sentence each."""
    percent: int = 0
    """Final grade in percent of the maximum (0 without a grade)."""
    banners: tuple[causes.Banner, ...] = ()
    causes: tuple[causes.Cause, ...] = ()
    failing: tuple[TestView, ...] = ()
    """Failed tests not covered by a banner, in the suite's order."""
    blocked: tuple[TestView, ...] = ()
    """Failed tests a banner explains (their message is the banner's)."""
    passing: tuple[TestView, ...] = ()
    passed_figures: tuple[FigureView, ...] = ()
    """Figures of passed tests (shown open: the student's own figure is one)."""
    history: tuple[Attempt, ...] = ()
    """Earlier graded submissions and this one, oldest first (empty when only one)."""
    groups: tuple[FailureGroup, ...] = ()
    """``failing`` grouped by cause, in the order of ``causes``."""


@dataclass(frozen=True)
class StudentPage:
    audience: str
    student_id: str
    name: str
    submitted_at: str
    late_days: int
    has_deadline: bool
    """Whether any assignment has deadline information (else "on time" means nothing)."""
    raw_total: float
    final_total: float
    max_total: float
    assignments: tuple[AssignmentView, ...]
    dashboard_href: str | None


# ----------------------------------------------------------------------------- pieces


def test_view(outcome: TestOutcome, lang: str, audience: str, t: Translate, *,
              anchor: str = "", conventions: frozenset[str] = frozenset()) -> TestView:
    hide = audience == "student" and outcome.hidden
    failed = outcome.status != Status.PASSED
    details = capped(outcome.details) if failed and not hide else None
    output = capped(outcome.output) if not hide else None
    case, message = causes.split_case(message_in(outcome.message, lang)) if failed \
        else ("", "")
    if failed and not hide and outcome.hidden_detail:
        message += "\n" + message_in(outcome.hidden_detail, lang)
    return TestView(
        title=message_in(outcome.title, lang) or outcome.test_id, test_id=outcome.test_id,
        hidden=outcome.hidden, earned=outcome.earned, points=outcome.points,
        status=outcome.status, status_label=t(f"status.{outcome.status}"),
        message=message,
        notes=tuple(message_in(n.get("message"), lang) or f"{n.get('key')}: {n.get('value')}"
                    for n in outcome.notes
                    if isinstance(n, dict) and n.get("key") != "convention"),
        details=details, output=output,
        withheld=hide and bool(outcome.output or (failed and outcome.details)),
        figures=figures.figures(outcome, lang, t, anchor or outcome.test_id, conventions),
        anchor=anchor, case=case, cases=outcome.cases, cases_passed=outcome.cases_passed)


def _late(grade: Grade) -> LateView | None:
    late = grade.late
    if late is None:
        return None
    return LateView(days_late=late.days_late or 0,
                    flagged=late.lms_flag and late.days_late is None,
                    deadline=late.deadline, submitted_at=late.submitted_at or "",
                    penalty=grade.late_penalty, waived=grade.penalty_waived,
                    policy=late.policy)


def _event(event: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in event.items())


def anchor_of(assignment: str) -> str:
    return "a-" + "".join(c if c.isalnum() else "-" for c in assignment)


LEVELS = (40, 60, 80, 100)
"""Colour bands of a grade: lv0 under 40 %, lv1 under 60 %, lv2 under 80 %, lv3 under
100 %, lv4 full marks (the dashboard's cells, the score on a student page)."""


def level_of(percent: int) -> str:
    return f"lv{sum(percent >= bound for bound in LEVELS)}"


def percent_of(final: float | None, max_points: float) -> int:
    """Whole percent, rounded down (99.6 % is not full marks)."""
    return int(100 * (final or 0.0) / max_points + 1e-9) if max_points else 0


def assignment_view(result: JobResult, grade: Grade, lang: str, audience: str,
                    catalogue: Catalogue, t: Translate,
                    history: tuple[Attempt, ...] = ()) -> AssignmentView:
    instructor = audience == "instructor"
    if result.status == JobStatus.MISSING:
        note = t("report.no_submission")
    elif result.status == JobStatus.ERROR:
        note = t("report.grader_error_student")
    else:
        note = ""
    error = (t("report.grader_error", error=result.error)
             if instructor and result.status == JobStatus.ERROR and result.error else "")
    title = catalogue.titles.get(result.assignment)
    anchor = anchor_of(result.assignment)
    conventions = frozenset(value for o in result.outcomes
                            for value in figures.conventions_of(o))
    tests = tuple(test_view(o, lang, audience, t, anchor=f"{anchor}-t{number}",
                            conventions=conventions)
                  for number, o in enumerate(result.outcomes))
    banners, found, covered = causes.summarise(
        [(o, v.title, v.anchor) for o, v in zip(result.outcomes, tests)], lang, t,
        catalogue.mistakes.get(result.assignment, {}),
        show_code=lambda o: instructor or not o.hidden)
    if result.status == JobStatus.MISSING:
        # Every test failed the same way, and the status note says why: no summary lines,
        # the tests are listed as not run.
        banners, found, covered = (), (), {o.test_id for o in result.outcomes}
    by_anchor = {v.anchor: v for v in tests}
    groups = tuple(FailureGroup(cause=c, tests=tuple(by_anchor[ref.anchor] for ref in c.tests),
                                open=len(c.tests) <= OPEN_GROUP_MAX,
                                anchor=f"{anchor}-c{number}")
                   for number, c in enumerate(found))
    return AssignmentView(
        name=result.assignment, title=message_in(title, lang) if title else result.assignment,
        anchor=anchor, status=result.status, status_note=note, points=result.points,
        max_points=result.max_points, final=grade.final, adjustment=grade.adjustment,
        late=_late(grade),
        adjustments=tuple(AdjustmentView(points=a.points,
                                         waive_late_penalty=a.waive_late_penalty,
                                         reason=a.reason, by=a.by,
                                         imported_at=a.imported_at, source=a.source)
                          for a in grade.adjustments),
        started_at=result.started_at, duration=result.duration,
        isolation=result.isolation if instructor else "", error=error,
        warnings=tuple(WarningView(text=message_in(w.get("message"), lang) or str(w.get("id")),
                                   file=str(w.get("file") or ""))
                       for w in result.warnings if isinstance(w, dict)),
        discussion=capped(result.facts.discussion, MAX_DISCUSSION_CHARS),
        # Output not attributed to a test may come from the hidden tests (the judge runs
        # them last): only the instructor sees it.
        output=capped(result.output) if instructor else None,
        events=tuple(_event(e) for e in result.events if isinstance(e, dict))
        if instructor else (),
        tests=tests, passed=sum(v.status == Status.PASSED for v in tests),
        failed=sum(v.status != Status.PASSED for v in tests),
        conventions=recognised_conventions(result, lang),
        percent=percent_of(grade.final, result.max_points),
        banners=banners, causes=found,
        failing=tuple(v for v in tests
                      if v.status != Status.PASSED and v.test_id not in covered),
        blocked=tuple(v for v in tests if v.test_id in covered),
        passing=tuple(v for v in tests if v.status == Status.PASSED),
        passed_figures=tuple(f for v in tests if v.status == Status.PASSED
                             for f in v.figures),
        history=history if len(history) > 1 else (), groups=groups)


def recognised_conventions(result: JobResult, lang: str) -> tuple[str, ...]:
    """What the tests recognised of the conventions the slides allow, one line each."""
    seen: dict[str, str] = {}
    for outcome in result.outcomes:
        for note in outcome.notes:
            if isinstance(note, dict) and note.get("key") == "convention":
                text = message_in(note.get("message"), lang)
                # One line per quantity; notes without one are told apart by their text.
                seen.setdefault(str(note.get("quantity") or text), text)
    return tuple(seen.values())


def student_page(student_id: str, results: list[JobResult], grades: dict, lang: str,
                 audience: str, catalogue: Catalogue, t: Translate,
                 dashboard_href: str | None = None,
                 history: dict[str, tuple[Attempt, ...]] | None = None) -> StudentPage:
    """One student's page; ``results`` must all belong to ``student_id``.

    ``history`` maps an assignment to the student's graded submissions of it (oldest
    first), when the caller read them from the gradebook.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    own = sorted(results, key=lambda r: r.assignment)
    if any(r.student_id != student_id for r in own):
        raise ValueError("a student page may only hold that student's results")
    history = history or {}
    views = tuple(assignment_view(r, grades[(r.student_id, r.assignment)], lang, audience,
                                  catalogue, t, history.get(r.assignment, ()))
                  for r in own)
    name = next((r.facts.student_name for r in own if r.facts.student_name), "")
    submitted = sorted(r.submitted_at or (r.facts.late.submitted_at if r.facts.late else "")
                       or "" for r in own)
    return StudentPage(
        audience=audience, student_id=student_id, name=name,
        submitted_at=submitted[-1] if submitted else "",
        late_days=max((v.late.days_late for v in views if v.late), default=0),
        has_deadline=any(v.late for v in views),
        raw_total=sum_points([v.points for v in views]),
        final_total=sum_points([v.final or 0.0 for v in views]),
        max_total=sum_points([v.max_points for v in views]),
        assignments=views,
        dashboard_href=dashboard_href if audience == "instructor" else None)
