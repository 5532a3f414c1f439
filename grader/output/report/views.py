"""View data for the report pages: results and grades in, plain dataclasses out.

Nothing here writes HTML. ``student_page`` builds one student's page for one of two
audiences: ``instructor`` (everything, with a link back to the dashboard) or ``student``
(what is published: no captured output or technical detail of hidden tests, since
student code can print the hidden inputs it was given, no grader internals, nothing
about any other student). The class page is built by ``dashboard``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field

from grader.grades import Grade
from grader.i18n import Bilingual
from grader.output.report import plots
from grader.results import JobResult, JobStatus, Status, TestOutcome, sum_points

MAX_OUTPUT_CHARS = 8_000
"""Captured output shown per block; the rest is cut with a note."""
MAX_DISCUSSION_CHARS = 20_000
AUDIENCES = ("instructor", "student")

Translate = Callable[..., str]


@dataclass(frozen=True)
class Catalogue:
    """Names from the course: assignment titles and the texts of catalogued mistakes."""

    titles: dict[str, Bilingual] = field(default_factory=dict)
    mistakes: dict[str, dict[str, Bilingual]] = field(default_factory=dict)
    """assignment -> mistake id -> message."""


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
class FigureView:
    title: str
    chart: plots.Chart | None = None
    image_uri: str | None = None


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


def _image_uri(artifact: dict) -> str | None:
    data = artifact.get("png_base64")
    if not isinstance(data, str) or not data:
        return None
    try:
        head = base64.b64decode(data[:16], validate=True)
    except (binascii.Error, ValueError):
        return None
    return "data:image/png;base64," + data if head.startswith(b"\x89PNG") else None


def _figures(outcome: TestOutcome, lang: str, t: Translate) -> tuple[FigureView, ...]:
    names = {"student": t("report.series_student"), "reference": t("report.series_reference")}
    figures = []
    for artifact in outcome.artifacts:
        title_value = artifact.get("title") or {}
        title = (title_value.get(lang) or title_value.get("en") or artifact.get("name", "")) \
            if isinstance(title_value, dict) else str(title_value)
        if artifact.get("kind") == "curve" and isinstance(artifact.get("series"), dict):
            chart = plots.curve_chart(artifact["series"], title=str(title),
                                      xlabel=str(artifact.get("xlabel", "")),
                                      ylabel=str(artifact.get("ylabel", "")), names=names)
            if chart is not None:
                figures.append(FigureView(title=str(title), chart=chart))
        elif artifact.get("kind") == "image":
            uri = _image_uri(artifact)
            if uri:
                figures.append(FigureView(title=str(title), image_uri=uri))
    return tuple(figures)


def message_in(value: object, lang: str) -> str:
    """The text of a bilingual message (or a plain string) in ``lang``."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


def test_view(outcome: TestOutcome, lang: str, audience: str, t: Translate) -> TestView:
    hide = audience == "student" and outcome.hidden
    failed = outcome.status != Status.PASSED
    details = capped(outcome.details) if failed and not hide else None
    output = capped(outcome.output) if not hide else None
    message = message_in(outcome.message, lang) if failed else ""
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
        figures=_figures(outcome, lang, t))


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


def assignment_view(result: JobResult, grade: Grade, lang: str, audience: str,
                    catalogue: Catalogue, t: Translate) -> AssignmentView:
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
    tests = tuple(test_view(o, lang, audience, t) for o in result.outcomes)
    return AssignmentView(
        name=result.assignment, title=message_in(title, lang) if title else result.assignment,
        anchor="a-" + "".join(c if c.isalnum() else "-" for c in result.assignment),
        status=result.status, status_note=note, points=result.points,
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
        conventions=recognised_conventions(result, lang))


def recognised_conventions(result: JobResult, lang: str) -> tuple[str, ...]:
    """What the tests recognised of the conventions the slides allow, one line each."""
    seen: dict[str, str] = {}
    for outcome in result.outcomes:
        for note in outcome.notes:
            if isinstance(note, dict) and note.get("key") == "convention":
                seen.setdefault(str(note.get("quantity")), message_in(note.get("message"),
                                                                      lang))
    return tuple(seen.values())


def student_page(student_id: str, results: list[JobResult], grades: dict, lang: str,
                 audience: str, catalogue: Catalogue, t: Translate,
                 dashboard_href: str | None = None) -> StudentPage:
    """One student's page; ``results`` must all belong to ``student_id``."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    own = sorted(results, key=lambda r: r.assignment)
    if any(r.student_id != student_id for r in own):
        raise ValueError("a student page may only hold that student's results")
    views = tuple(assignment_view(r, grades[(r.student_id, r.assignment)], lang, audience,
                                  catalogue, t) for r in own)
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
