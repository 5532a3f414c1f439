"""The command line as a TA and an instructor use it."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader.paths import Course

ROOT = Path(__file__).resolve().parent.parent


def grader(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def test_grade_a_folder_then_export(tmp_path: Path) -> None:
    submissions = tmp_path / "class"
    for student in ("correct_sum", "mistake_update_sign", "skeleton"):
        shutil.copytree(ROOT / "submissions" / "02_perceptron" / student, submissions / student)
    (submissions / "nobody").mkdir()  # a student who submitted nothing
    db, reports = tmp_path / "book.sqlite", tmp_path / "reports"
    scratch_before = set(Path(tempfile.gettempdir()).glob("nngrader-*"))
    done = grader("grade", "--assignment", "02_perceptron", "--submissions", str(submissions),
                  "--db", str(db), "--reports", str(reports), "--jobs", "2", "--lang", "en")
    assert done.returncode == 0, done.stderr
    # The judges stop their zygotes and remove every scratch folder on the way out.
    assert set(Path(tempfile.gettempdir()).glob("nngrader-*")) <= scratch_before
    assert "graded 4, unchanged 0, grader errors 0" in done.stdout
    assert (reports / "index.html").is_file()
    assert {p.name for p in (reports / "students").iterdir()} == {
        "correct_sum.html", "mistake_update_sign.html", "skeleton.html", "nobody.html"}
    out = tmp_path / "grades.csv"
    exported = grader("export", "--format", "csv", "--out", str(out), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["student_id", "assignment", "points", "max_points", "status",
                             "late_penalty", "adjustment", "grade"]
    assert {r["student_id"]: (r["points"], r["max_points"], r["status"]) for r in rows} == {
        "correct_sum": ("44", "44", "graded"), "mistake_update_sign": ("42", "44", "graded"),
        "skeleton": ("0", "44", "graded"), "nobody": ("0", "44", "missing")}
    # Same submissions, same suite: nothing to do, identical export.
    again = grader("grade", "--assignment", "02_perceptron", "--submissions", str(submissions),
                   "--db", str(db), "--reports", str(reports))
    assert "graded 0, unchanged 4" in again.stdout
    second = tmp_path / "again.csv"
    grader("export", "--out", str(second), "--db", str(db))
    assert second.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("assignment", Course(ROOT).assignment_names())
def test_validate_every_assignment(assignment: str) -> None:
    done = grader("validate", assignment)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{assignment}: ok  reference" in done.stdout
    assert " skeleton 0/" in done.stdout


def test_validate_catches_a_broken_reference(scratch_course: Course) -> None:
    solution = scratch_course.assignment("02_perceptron").solution / "gradient_method.py"
    text = solution.read_text(encoding="utf-8")
    solution.write_text(text.replace("return w * x + b", "return w * x - b"), encoding="utf-8")
    done = grader("validate", "02_perceptron", "--course", str(scratch_course.root))
    assert done.returncode == 1
    # The hidden tests compare the reference with itself; the public ones catch it.
    assert "02_perceptron: FAILED  reference 42/44" in done.stdout
    assert "test_gradient_method.py::test_predict" in done.stdout


def test_a_manifest_that_disagrees_with_the_tests_is_a_grader_error(
        scratch_course: Course, tmp_path: Path) -> None:
    manifest = scratch_course.assignment("02_perceptron").manifest
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('id = "test_hidden_perceptron.py::test_function1"',
                                     'id = "test_hidden_perceptron.py::test_renamed"'),
                        encoding="utf-8")
    student = scratch_course.submissions_dir / "02_perceptron" / "correct_sum"
    shutil.copytree(ROOT / "submissions" / "02_perceptron" / "correct_sum", student)
    done = grader("grade", "--course", str(scratch_course.root), "--quiet")
    assert done.returncode == 1
    assert "grader errors 1" in done.stdout
    assert "could not be graded" in done.stderr


def test_usage_errors_are_one_line() -> None:
    done = grader("grade", "--assignment", "02_perceptrn")
    assert done.returncode == 2
    assert "Did you mean 02_perceptron?" in done.stderr
    assert "Traceback" not in done.stderr
    done = grader("export", "--out", "/tmp/x.csv", "--db", "/nonexistent/book.sqlite")
    assert done.returncode == 2 and "run 'grader grade' first" in done.stderr


@pytest.mark.parametrize("lang, word", [("ja", "合計"), ("en", "Total")])
def test_reports_in_both_languages(tmp_path: Path, lang: str, word: str) -> None:
    submissions = tmp_path / "class"
    shutil.copytree(ROOT / "submissions" / "02_perceptron" / "mistake_update_before_grad",
                    submissions / "mistake_update_before_grad")
    reports = tmp_path / "reports"
    done = grader("grade", "-a", "02_perceptron", "--submissions", str(submissions), "--db",
                  str(tmp_path / "b.sqlite"), "--reports", str(reports), "--lang", lang, "-q")
    assert done.returncode == 0, done.stderr
    page = (reports / "students" / "mistake_update_before_grad.html").read_text("utf-8")
    assert word in page and f'lang="{lang}"' in page
    assert "data:image/png;base64," in page
