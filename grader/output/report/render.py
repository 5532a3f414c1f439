"""Render the gradebook's current results to ``reports/``.

``reports/index.html``               class dashboard (for instructors)
``reports/students/<name>.html``     one self-contained page per student (instructor view)
``reports/downloads/``               the gradebook CSV and the LMS exports, linked from
                                     the dashboard

Data first (``views``), then logic-free templates (``templates/``; autoescaped, strict
undefined). Pages are self-contained: styles and scripts inline, figures inline SVG or
``data:`` PNG, so a page works offline and can be mailed or uploaded on its own.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from grader import __version__, i18n
from grader.adjustments import Adjustment
from grader.grades import grades as compute_grades
from grader.output.report import dashboard, views
from grader.paths import safe_name
from grader.results import JobResult, JobStatus, Status

if TYPE_CHECKING:
    from grader.gradebook import Gradebook

HERE = Path(__file__).resolve().parent


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        # select_autoescape() would not escape *.html.j2: list the extensions explicitly.
        autoescape=jinja2.select_autoescape(["html", "j2", "html.j2"], default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        auto_reload=False)  # the templates do not change while a class is rendered
    # Our own static files, trusted: inlined as they are (escaping would break the CSS).
    env.globals["css"] = Markup((HERE / "static" / "report.css").read_text(encoding="utf-8"))
    env.globals["sort_js"] = Markup((HERE / "static" / "sort.js").read_text(encoding="utf-8"))
    env.globals["filter_js"] = Markup((HERE / "static" / "filter.js").read_text(
        encoding="utf-8"))
    env.globals["JobStatus"] = JobStatus
    env.globals["Status"] = Status
    env.filters["pts"] = format_points
    env.filters["signed"] = signed_points
    env.filters["level"] = views.level_of
    env.filters["code_spans"] = code_spans
    return env


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(text: str) -> Markup:
    """Text with Markdown's `code` spans as <code> (the rest escaped): commands, file
    and column names in the course's own texts (manifest questions, messages)."""
    escaped = str(Markup.escape(text))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))


def format_points(value: float | None) -> str:
    """``12.0`` -> ``12``, ``7.25`` -> ``7.25``; None -> an en dash."""
    if value is None:
        return "–"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def signed_points(value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + format_points(abs(value))


def translator(lang: str) -> views.Translate:
    def t(key: str, **params: object) -> str:
        return i18n.text(key, lang, **params)
    return t


def common(lang: str) -> dict:
    return {"lang": lang, "t": translator(lang), "version": __version__,
            "generated_at": dt.datetime.now().astimezone().isoformat(timespec="minutes")}


def load_catalogue(course: object | None, assignments: Iterable[str]) -> views.Catalogue:
    """Assignment titles and mistake texts from the course; whatever cannot be read is
    left out (the page then shows ids)."""
    if course is None:
        return views.Catalogue()
    from grader.manifest import load_assignment

    titles, mistakes, questions, figures = {}, {}, {}, {}
    for name in sorted(set(assignments)):
        try:
            assignment = load_assignment(course, name)  # type: ignore[arg-type]
            titles[name] = assignment.title
            questions[name], figures[name] = assignment.questions, assignment.figures
        except Exception:  # noqa: BLE001 - a report never fails for a title
            pass
        try:
            path = course.assignment(name).mistakes  # type: ignore[attr-defined]
            with open(path, "rb") as handle:
                table = tomllib.load(handle).get("mistakes", {})
            mistakes[name] = {key: {lang: str(value.get(lang, "")) for lang in i18n.LANGUAGES}
                              for key, value in table.items() if isinstance(value, dict)}
        except Exception:  # noqa: BLE001
            pass
    return views.Catalogue(titles=titles, mistakes=mistakes, questions=questions,
                           figures=figures)


def by_student(results: Iterable[JobResult]) -> dict[str, list[JobResult]]:
    grouped: dict[str, list[JobResult]] = defaultdict(list)
    for result in results:
        grouped[result.student_id].append(result)
    return dict(sorted(grouped.items()))


def render_student(env: jinja2.Environment, page: views.StudentPage, lang: str) -> str:
    return env.get_template("student.html.j2").render(page=page, **common(lang))


def render_reports(results: list[JobResult], out_dir: Path, lang: str = "ja", *,
                   adjustments: Iterable[Adjustment] = (),
                   catalogue: views.Catalogue | None = None,
                   downloads: bool = True,
                   history: dict[tuple[str, str], tuple[views.Attempt, ...]] | None = None
                   ) -> Path:
    """Write every student's page, the downloads, the 考察 pages for the TAs
    (``grader.output.discussion``) and the dashboard; returns the dashboard.

    ``history`` maps (student, assignment) to the graded submissions of it, oldest first
    (:func:`read_history`); a student page shows them when there are several.
    """
    from grader.output.discussion import write_discussion
    from grader.output.downloads import write_downloads

    adjustments = list(adjustments)
    catalogue = catalogue or views.Catalogue()
    env = environment()
    t = translator(lang)
    grades = compute_grades(results, adjustments)
    pages_dir = out_dir / "students"
    pages_dir.mkdir(parents=True, exist_ok=True)
    for student_id, own in by_student(results).items():
        page = views.student_page(student_id, own, grades, lang, "instructor", catalogue, t,
                                  dashboard_href="../index.html",
                                  history={r.assignment: history[(student_id, r.assignment)]
                                           for r in own
                                           if history and (student_id, r.assignment)
                                           in history})
        (pages_dir / f"{safe_name(student_id)}.html").write_text(
            render_student(env, page, lang), encoding="utf-8")
    discussion = write_discussion(results, adjustments, catalogue, out_dir, lang, env,
                                  common(lang))
    links: tuple[dashboard.Download, ...] = ()
    if downloads:
        written = write_downloads(results, adjustments, out_dir / "downloads", lang)
        links = tuple(dashboard.Download(label=t(key, **params), href=f"downloads/{path.name}")
                      for key, params, path in written)
    board = dashboard.dashboard(results, grades, lang, catalogue, t,
                            href=lambda s: f"students/{safe_name(s)}.html", downloads=links,
                            discussion={name: (p.ungraded, p.href)
                                        for name, p in discussion.items() if p.questions})
    path = out_dir / "index.html"
    path.write_text(env.get_template("index.html.j2").render(board=board, **common(lang)),
                    encoding="utf-8")
    return path


def render_from_gradebook(db_path: Path, out_dir: Path, lang: str = "ja",
                          course: object | None = None) -> Path:
    """The reports of a gradebook's current results, with its adjustments."""
    from grader.gradebook import Gradebook

    with Gradebook(db_path) as book:
        results, adjustments = book.current(), book.adjustments()
        history = read_history(book)
    catalogue = load_catalogue(course, {r.assignment for r in results})
    return render_reports(results, out_dir, lang, adjustments=adjustments,
                          catalogue=catalogue, history=history)


def read_history(book: Gradebook) -> dict[tuple[str, str], tuple[views.Attempt, ...]]:
    """(student, assignment) -> its graded submissions, oldest first, for the pairs with
    more than one stored result (one cheap query finds them; only those are read).

    A grader fault is not a submission (left out); grading the same files again (a new
    test suite) keeps the latest grading of them.
    """
    pairs = book.db.execute(
        "SELECT student_id, assignment FROM results WHERE status <> ? "
        "GROUP BY assignment, student_id HAVING COUNT(*) > 1", (JobStatus.ERROR,)).fetchall()
    history = {}
    for student_id, assignment in pairs:
        attempts: list[tuple[str, views.Attempt]] = []
        for stored in book.history(assignment, student_id):
            result = stored.result
            if result.status == JobStatus.ERROR:
                continue
            attempt = views.Attempt(
                graded_at=result.started_at or stored.recorded_at,
                submitted_at=result.submitted_at or "", points=result.points,
                max_points=result.max_points, current=stored.current)
            if attempts and attempts[-1][0] == result.submission_hash:
                attempts[-1] = (result.submission_hash, attempt)
            else:
                attempts.append((result.submission_hash, attempt))
        if len(attempts) > 1:
            history[(student_id, assignment)] = tuple(a for _, a in attempts)
    return history
