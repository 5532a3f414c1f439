"""A course upgrades the grader mid-semester: gradebooks written by the previous release
open, keep their grades and adjustments, re-render and take new results.

``fixtures/gradebook-0.1.0-schema2.sqlite`` was written by release 0.1.0 (gradebook
schema 2, results format 1, ingest facts in a free-form ``extra``): four students of
05_ct_classifier (full marks, a syntax error, one mistake, nothing submitted) and one
adjustment (+2 for ``syntax_error``).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from conftest import ROOT

from grader.gradebook import SCHEMA_VERSION, Gradebook
from grader.grades import grades
from grader.output.exporter import export
from grader.output.report.render import render_from_gradebook
from grader.paths import Course
from grader.results import JobStatus, Status

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "gradebook-0.1.0-schema2.sqlite"


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "gradebook.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


def test_previous_release_gradebook_keeps_its_grades(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with Gradebook(path) as book:
        results = {r.student_id: r for r in book.current()}
        adjustments = book.adjustments()
    assert sorted(results) == ["correct", "empty_student", "mistake_sigmoid_derivative",
                               "syntax_error"]
    assert results["correct"].points == results["correct"].max_points == 27
    assert results["correct"].status is JobStatus.GRADED
    assert results["empty_student"].status is JobStatus.MISSING
    assert all(isinstance(o.status, Status) for r in results.values() for o in r.outcomes)
    # The format-1 "extra" was read into typed facts.
    assert results["correct"].facts.source["kind"] == "folder"
    final = grades(results.values(), adjustments)
    assert final[("syntax_error", "05_ct_classifier")].final == 2.0
    assert final[("mistake_sigmoid_derivative", "05_ct_classifier")].final == 20.0
    schema = sqlite3.connect(path).execute("SELECT value FROM meta WHERE key='schema'")
    assert schema.fetchone()[0] == str(SCHEMA_VERSION)


def test_previous_release_gradebook_rerenders_and_exports(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    index = render_from_gradebook(path, tmp_path / "reports", "ja", Course(ROOT))
    page = index.read_text(encoding="utf-8")
    assert "mistake_sigmoid_derivative" in page and "syntax_error" in page
    assert (tmp_path / "reports" / "students" / "correct.html").is_file()
    assert export(path, tmp_path / "grades.csv", "csv", None) == 4


def test_previous_release_gradebook_takes_new_results(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with Gradebook(path) as book:
        old = next(r for r in book.current() if r.student_id == "correct")
        newer = old.with_changes(points=26.0, suite_hash="new-suite")
        book.record(newer)
        assert [r.points for r in book.current() if r.student_id == "correct"] == [26.0]
        assert len(book.history("05_ct_classifier", "correct")) == 2
