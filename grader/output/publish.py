"""Publish one folder per student, to upload as LMS feedback files.

``<out>/<folder>/report.html`` holds that student's page and nothing else: figures are
inline (SVG, or the student's own PNG as a ``data:`` URI), there is no link to the class
dashboard, no class statistics, and, as on every student page, no output or detail of
hidden tests. Nothing in a folder names or describes another student.

Folder names are unguessable but stable: the first 128 bits (32 hex digits) of
HMAC-SHA256(key, student id), with a per-course random key kept beside the gradebook
(``publish.key``, created with mode 0600 on first use). Without the key a student who
knows another's id cannot compute that student's folder; with it the instructor gets
the same name on every run, so links handed out once keep working. Deleting the key
renames every folder. Keep it (and the gradebook) out of anything you publish.

The instructor's map from student id to folder is written beside the output folder
(``<out>.csv``), not inside it.

Before anything is written, every page is scanned (``grader.output.leaks``) for
literals of the hidden tests, paths of the grading machine and what hidden tests
captured; one finding refuses the whole publication (``PublishRefused``, exit 1).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.adjustments import Adjustment
from grader.grades import grades as compute_grades
from grader.output.report import views
from grader.output.report.render import by_student, environment, render_student, translator
from grader.output.leaks import PublishRefused, find_leaks
from grader.output.tables import write_csv
from grader.results import JobResult

KEY_NAME = "publish.key"
PAGE_NAME = "report.html"
FOLDER_CHARS = 32
_PURPOSE = b"nn-grader publish folder v1\0"


@dataclass(frozen=True)
class Published:
    student_id: str
    folder: str
    path: Path


def key_path(db_path: Path) -> Path:
    return db_path.parent / KEY_NAME


def load_or_create_key(path: Path) -> bytes:
    """The course's publishing key: read it, or create it (0600) on first use."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = secrets.token_hex(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return load_or_create_key(path)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text + "\n")
    key = bytes.fromhex(text)
    if len(key) < 16:
        raise ValueError(f"{path} holds a key shorter than 128 bits")
    return key


def folder_name(key: bytes, student_id: str) -> str:
    digest = hmac.new(key, _PURPOSE + student_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:FOLDER_CHARS]


def is_folder_name(name: str) -> bool:
    return len(name) == FOLDER_CHARS and all(c in "0123456789abcdef" for c in name)


def student_pages(results: list[JobResult], lang: str = "ja", *,
                  adjustments: list[Adjustment] | None = None,
                  catalogue: views.Catalogue | None = None,
                  history: dict[tuple[str, str], tuple[views.Attempt, ...]] | None = None
                  ) -> dict[str, str]:
    """Student id -> the student's own page (the student audience), as published.

    ``history`` (grader.output.report.render.read_history) adds the student's earlier
    graded submissions (times and scores: the student's own).
    """
    env = environment()
    t = translator(lang)
    catalogue = catalogue or views.Catalogue()
    grades = compute_grades(results, adjustments or [])
    history = history or {}
    return {student_id: render_student(env, views.student_page(
                student_id, own, grades, lang, "student", catalogue, t,
                history={r.assignment: history[(student_id, r.assignment)] for r in own
                         if (student_id, r.assignment) in history}), lang)
            for student_id, own in by_student(results).items()}


def publish(results: list[JobResult], out_dir: Path, key: bytes, lang: str = "ja", *,
            adjustments: list[Adjustment] | None = None,
            catalogue: views.Catalogue | None = None,
            pages: dict[str, str] | None = None) -> list[Published]:
    """Write every student's folder; returns what was written, sorted by student id.

    Folders of earlier runs for students no longer in the results are removed (only
    folders whose name has the publish form), so the output holds exactly this run.
    ``pages`` are the pages already rendered (and checked) by :func:`student_pages`.
    """
    if pages is None:
        pages = student_pages(results, lang, adjustments=adjustments, catalogue=catalogue)
    out_dir.mkdir(parents=True, exist_ok=True)
    published = []
    for student_id, html in pages.items():
        folder = folder_name(key, student_id)
        target = out_dir / folder
        target.mkdir(exist_ok=True)
        for stale in target.iterdir():
            if stale.name != PAGE_NAME:
                shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        (target / PAGE_NAME).write_text(html, encoding="utf-8")
        published.append(Published(student_id, folder, target / PAGE_NAME))
    current = {p.folder for p in published}
    for entry in out_dir.iterdir():
        if entry.is_dir() and is_folder_name(entry.name) and entry.name not in current:
            shutil.rmtree(entry)
    map_path(out_dir).write_text(folder_map(published), encoding="utf-8")
    return published


def map_path(out_dir: Path) -> Path:
    return out_dir.parent / f"{out_dir.name}.csv"


def folder_map(published: list[Published]) -> str:
    return write_csv([["student_id", "folder", "page"],
                      *([e.student_id, e.folder, f"{e.folder}/{PAGE_NAME}"] for e in published)])


def publish_from_gradebook(db_path: Path, out_dir: Path, lang: str = "ja",
                           course: object | None = None,
                           key_file: Path | None = None) -> list[Published]:
    from grader.gradebook import Gradebook
    from grader.output.report.render import load_catalogue, read_history

    with Gradebook(db_path) as book:
        results, adjustments = book.current(), book.adjustments()
        history = read_history(book)
    key = load_or_create_key(key_file or key_path(db_path))
    pages = student_pages(results, lang, adjustments=adjustments,
                          catalogue=load_catalogue(course, {r.assignment for r in results}),
                          history=history)
    leaks = find_leaks(pages, results, course,
                       label=lambda student: f"{folder_name(key, student)}/{PAGE_NAME} "
                                             f"({student})")
    if leaks:
        raise PublishRefused(leaks)  # nothing written: the previous publication stays
    return publish(results, out_dir, key, lang, pages=pages)
