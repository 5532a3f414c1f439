"""考察 for people to grade: one offline page per question with every student's answer,
and the CSV a TA fills in and imports with ``grader adjust``.

Written by ``render_reports`` for each assignment whose manifest declares written
questions (``[[questions]]``) or figures (``[[figures]]``)::

    reports/discussion/<assignment>/index.html        questions, answered and graded counts
    reports/discussion/<assignment>/<question>.html   every student's answer, side by side
    reports/discussion/<assignment>/figures.html      figures that belong to no question
    reports/discussion/<assignment>/img/<student>/<file>.png
    reports/discussion/<assignment>/grading-<assignment>.csv

A TA grades 300 answers in one sitting: one column of answers, each with the student's
figures for that question (image files, loaded as the page scrolls, so the page stays
small), what is graded already, and the unanswered listed at the end. An answer is the
student's section under the question's tagged heading of 考察.md
(``grader.ingest.discussion``); a section left as the template gave it is *not
answered*. Text written without the headings is shown, flagged, on every question's
page, so a student who deleted a heading is still read.

The CSV has one row per student and question (points blank, ``answered`` yes/no);
``grader adjust`` skips rows still blank (``grader.adjustments``), so it can be imported
half-done and again when finished. Points already imported from this same file are
filled in again when the reports are rewritten; questions graded from another file are
left out of it (they would count twice) and shown as graded on the pages.

These pages name every student: they are for the course staff, never published
(``grader publish`` writes student folders only).
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from grader.adjustments import Adjustment
from grader.manifest import Figure, Question
from grader.output.report.views import (
    MAX_DISCUSSION_CHARS,
    Catalogue,
    Text,
    anchor_of,
    capped,
    message_in,
)
from grader.output.tables import format_points, write_csv
from grader.paths import safe_name
from grader.results import JobResult

log = logging.getLogger(__name__)
CSV_HEADER = ("student_id", "name", "assignment", "question", "max_points", "answered",
              "points", "reason", "by")
FIGURES_PAGE = "figures"


@dataclass(frozen=True)
class Image:
    title: str
    src: str


@dataclass(frozen=True)
class Graded:
    points: float
    max_points: float
    by: str
    reason: str
    source: str


@dataclass(frozen=True)
class Entry:
    """One student on one question's page."""

    student_id: str
    name: str
    href: str
    answer: Text | None
    untagged: Text | None
    """What the student wrote outside the tagged headings (when no answer was found)."""
    images: tuple[Image, ...]
    graded: Graded | None

    @property
    def answered(self) -> bool:
        return self.answer is not None or self.untagged is not None


@dataclass(frozen=True)
class QuestionPage:
    assignment: str
    assignment_title: str
    id: str
    title: str
    text: str
    slides: tuple[str, ...]
    points: float
    entries: tuple[Entry, ...]
    """The students who answered (or wrote untagged text), by student id."""
    unanswered: tuple[Entry, ...]

    @property
    def graded(self) -> int:
        return sum(1 for entry in self.entries if entry.graded)


@dataclass(frozen=True)
class Progress:
    """An assignment's 考察 for the dashboard: how much is left to grade, and where."""

    assignment: str
    href: str
    """The assignment's discussion index, relative to the reports folder."""
    questions: tuple[QuestionPage, ...]
    ungraded: int
    """Answers (tagged or not) without points yet."""


def _images(result: JobResult, figures: Iterable[Figure], folder: Path, lang: str
            ) -> tuple[Image, ...]:
    """The student's figures among ``figures``, written as files under ``folder``."""
    wanted = {figure.file: figure for figure in figures}
    found: dict[str, Image] = {}
    for outcome in result.outcomes:
        for artifact in outcome.artifacts:
            name = artifact.get("name")
            if artifact.get("kind") != "image" or name not in wanted or name in found:
                continue
            try:
                data = base64.b64decode(str(artifact.get("png_base64", "")), validate=True)
            except (binascii.Error, ValueError):
                continue
            if not data.startswith(b"\x89PNG"):
                continue
            target = folder / "img" / safe_name(result.student_id) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            found[name] = Image(title=message_in(wanted[name].title, lang),
                                src=target.relative_to(folder).as_posix())
    return tuple(found[file] for file in wanted if file in found)


def _graded(adjustments: Iterable[Adjustment], question: Question
            ) -> dict[str, Graded]:
    return {a.student_id: Graded(points=a.points, max_points=question.points, by=a.by,
                                 reason=a.reason, source=a.source)
            for a in adjustments if a.question == question.id}


def question_page(assignment: str, title: str, question: Question,
                  results: list[JobResult], adjustments: list[Adjustment],
                  figures: tuple[Figure, ...], folder: Path, lang: str,
                  student_href: Callable[[str], str]) -> QuestionPage:
    graded = _graded(adjustments, question)
    entries: list[Entry] = []
    unanswered: list[Entry] = []
    for result in sorted(results, key=lambda r: r.student_id):
        answer = result.facts.answers.get(question.id)
        untagged = capped(result.facts.untagged, MAX_DISCUSSION_CHARS) if answer is None \
            else None
        entry = Entry(student_id=result.student_id, name=result.facts.student_name or "",
                      href=student_href(result.student_id),
                      answer=capped(answer, MAX_DISCUSSION_CHARS),
                      untagged=untagged,
                      images=_images(result, [f for f in figures if f.question == question.id],
                                     folder, lang),
                      graded=graded.get(result.student_id))
        (entries if entry.answered else unanswered).append(entry)
    return QuestionPage(assignment=assignment, assignment_title=title, id=question.id,
                        title=message_in(question.title, lang),
                        text=message_in(question.text, lang), slides=question.slides,
                        points=question.points, entries=tuple(entries),
                        unanswered=tuple(unanswered))


def figures_page(assignment: str, title: str, results: list[JobResult],
                 figures: tuple[Figure, ...], folder: Path, lang: str,
                 student_href: Callable[[str], str]) -> tuple[Entry, ...]:
    """Every student's figures that belong to no question."""
    loose = [figure for figure in figures if not figure.question]
    return tuple(Entry(student_id=r.student_id, name=r.facts.student_name or "",
                       href=student_href(r.student_id), answer=None, untagged=None,
                       images=_images(r, loose, folder, lang), graded=None)
                 for r in sorted(results, key=lambda r: r.student_id))


def csv_name(assignment: str) -> str:
    return f"grading-{safe_name(assignment)}.csv"


def grading_csv(pages: tuple[QuestionPage, ...]) -> str:
    """One row per student and question; points filled in only where this file graded."""
    rows: list[tuple[object, ...]] = [CSV_HEADER]
    own = csv_name(pages[0].assignment) if pages else ""
    by_student: dict[str, list[tuple[QuestionPage, Entry]]] = {}
    for page in pages:
        for entry in (*page.entries, *page.unanswered):
            by_student.setdefault(entry.student_id, []).append((page, entry))
    for student_id in sorted(by_student):
        for page, entry in by_student[student_id]:
            graded = entry.graded
            if graded is not None and graded.source != own:
                continue  # graded from another file: a row here would count it twice
            rows.append((student_id, entry.name, page.assignment, page.id,
                         format_points(page.points), "yes" if entry.answered else "no",
                         format_points(graded.points) if graded else "",
                         graded.reason if graded else "", graded.by if graded else ""))
    return write_csv(rows)


def write_discussion(results: list[JobResult], adjustments: list[Adjustment],
                     catalogue: Catalogue, out_dir: Path, lang: str,
                     env: jinja2.Environment, common: dict) -> dict[str, Progress]:
    """Write the pages and CSVs of every assignment with questions or figures."""
    progress = {}
    for assignment in sorted({r.assignment for r in results}):
        questions = catalogue.questions.get(assignment, ())
        figures = catalogue.figures.get(assignment, ())
        if questions or figures:
            progress[assignment] = write_assignment(
                assignment, questions, figures,
                [r for r in results if r.assignment == assignment],
                [a for a in adjustments if a.assignment == assignment],
                message_in(catalogue.titles.get(assignment), lang) or assignment,
                out_dir, lang, env, common)
    return progress


def write_assignment(assignment: str, questions: tuple[Question, ...],
                     figures: tuple[Figure, ...], results: list[JobResult],
                     adjustments: list[Adjustment], title: str, out_dir: Path, lang: str,
                     env: jinja2.Environment, common: dict) -> Progress:
    folder = out_dir / "discussion" / safe_name(assignment)
    folder.mkdir(parents=True, exist_ok=True)
    section = anchor_of(assignment)

    def student_href(student_id: str) -> str:
        return f"../../students/{safe_name(student_id)}.html#{section}"

    pages = tuple(question_page(assignment, title, q, results, adjustments, figures, folder,
                                lang, student_href) for q in questions)
    loose = figures_page(assignment, title, results, figures, folder, lang, student_href) \
        if any(not f.question for f in figures) else ()
    for page in pages:
        (folder / f"{page.id}.html").write_text(
            env.get_template("discussion.html.j2").render(page=page, **common),
            encoding="utf-8")
    if loose:
        (folder / f"{FIGURES_PAGE}.html").write_text(
            env.get_template("discussion_figures.html.j2").render(
                title=title, entries=loose, figures=figures, **common), encoding="utf-8")
    kept = write_sheet(folder / csv_name(assignment), grading_csv(pages)) if pages else None
    progress = Progress(assignment=assignment,
                        href=f"discussion/{safe_name(assignment)}/index.html",
                        questions=pages,
                        ungraded=sum(1 for page in pages for entry in page.entries
                                     if entry.graded is None))
    (folder / "index.html").write_text(env.get_template("discussion_index.html.j2").render(
        progress=progress, title=title, csv=csv_name(assignment) if pages else "",
        csv_path=_shown(folder / csv_name(assignment)), kept=kept.name if kept else "",
        kept_path=_shown(kept) if kept else "",
        figures_page=f"{FIGURES_PAGE}.html" if loose else "", **common), encoding="utf-8")
    return progress


def _shown(path: Path) -> str:
    """The path as the TA types it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _points_of(text: str) -> dict[tuple[str, str], str]:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return {(row.get("student_id") or "", row.get("question") or ""):
            (row.get("points") or "").strip() for row in rows}


def write_sheet(path: Path, text: str) -> Path | None:
    """Write the grading CSV; a TA's edits not imported yet are never overwritten.

    When the file there has points the new one would not (filled in, not yet imported
    with ``grader adjust``), it is kept under a dated name, returned, and logged.
    """
    kept = None
    if path.is_file():
        old = _points_of(path.read_text(encoding="utf-8-sig", errors="replace"))
        new = _points_of(text)
        if any(points and new.get(key) != points for key, points in old.items()):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            kept = path.with_name(f"{path.stem}-edited-{stamp}.csv")
            number = 1
            while kept.exists():
                number += 1
                kept = path.with_name(f"{path.stem}-edited-{stamp}-{number}.csv")
            path.rename(kept)
            log.warning("%s had points not imported yet: kept as %s (import it with "
                        "grader adjust)", path, kept.name)
    # With a BOM: Excel then reads the UTF-8 (Japanese names) as UTF-8.
    path.write_text("\ufeff" + text, encoding="utf-8")
    return kept
