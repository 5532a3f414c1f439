"""The gradebook keeps every result, resumes, and never lets a grader fault replace a grade."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from grader.gradebook import Gradebook
from grader.results import JobResult, TestOutcome

ROOT = Path(__file__).resolve().parent.parent


def result(student: str, status: str = "graded", points: float = 5.0,
           submission: str = "s1", suite: str = "t1") -> JobResult:
    outcome = TestOutcome(test_id="t.py::test_a", title={"ja": "a", "en": "a"}, hidden=False,
                          points=5.0, earned=points, status="passed" if points else "failed",
                          message={"ja": "", "en": ""})
    return JobResult(assignment="a1", student_id=student, status=status, points=points,
                     max_points=5.0, submission_hash=submission, suite_hash=suite,
                     outcomes=(outcome,), error="boom" if status == "error" else "")


def test_record_and_read_back(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(result("s1"))
        book.record(result("s2", points=0.0))
        current = book.current()
    assert [(r.student_id, r.points) for r in current] == [("s1", 5.0), ("s2", 0.0)]
    assert current[0].outcomes[0].test_id == "t.py::test_a"


def test_up_to_date_only_for_same_submission_and_suite(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(result("s1"))
        assert book.is_up_to_date("a1", "s1", "s1", "t1")
        assert not book.is_up_to_date("a1", "s1", "s1-changed", "t1")
        assert not book.is_up_to_date("a1", "s1", "s1", "t2")
        assert not book.is_up_to_date("a1", "s2", "s1", "t1")


def test_grader_error_never_replaces_a_grade(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(result("s1", points=4.0))
        book.record(result("s1", status="error", points=0.0, suite="t2"))
        current = book.current()
        history = book.history("a1", "s1")
        assert [(r.status, r.points) for r in current] == [("graded", 4.0)]
        assert [(h.result.status, h.current) for h in history] == [("graded", True),
                                                                  ("error", False)]
        # The failed attempt does not count as up to date: the next run retries it.
        assert not book.is_up_to_date("a1", "s1", "s1", "t2")
        # A real new grade replaces the old one, even when it is lower.
        book.record(result("s1", points=1.0, suite="t2"))
        assert [(r.status, r.points) for r in book.current()] == [("graded", 1.0)]


def test_error_is_current_when_nothing_better_exists(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(result("s1", status="error", points=0.0))
        assert [r.status for r in book.current()] == ["error"]


def test_one_current_row_per_student_is_enforced(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.record(result("s1"))
        book.record(result("s1", points=3.0))
    rows = sqlite3.connect(tmp_path / "g.sqlite").execute(
        "SELECT count(*) FROM results WHERE current=1").fetchone()
    assert rows == (1,)


def _grade(db: Path, reports: Path, submissions: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "grader.cli", "grade", "--assignment", "02_perceptron",
         "--submissions", str(submissions), "--db", str(db), "--reports", str(reports),
         "--jobs", "1", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as connection:
        try:
            return connection.execute("SELECT count(*) FROM results").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def test_killed_mid_batch_loses_nothing_and_resumes(tmp_path: Path) -> None:
    # Ten well-behaved samples: enough to be killed mid-batch, quick to grade again.
    submissions = tmp_path / "class"
    samples = sorted(p for p in (ROOT / "submissions" / "02_perceptron").iterdir()
                     if p.is_dir() and p.name.startswith(("correct", "mistake_")))[:10]
    for sample in samples:
        shutil.copytree(sample, submissions / sample.name)
    students = len(samples)
    db, reports = tmp_path / "g.sqlite", tmp_path / "reports"
    process = _grade(db, reports, submissions)
    deadline = time.monotonic() + 120
    while _stored(db) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = _stored(db)
    assert 3 <= kept < students
    with Gradebook(db) as book:
        before = {r.student_id: r.points for r in book.current()}
    assert len(before) == kept
    rerun = _grade(db, reports, submissions)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert f"graded {students - kept}, unchanged {kept}" in out.decode()
    with Gradebook(db) as book:
        after = {r.student_id: r.points for r in book.current()}
        assert len(after) == students and all(after[s] == before[s] for s in before)
        assert _stored(db) == students
    again = _grade(db, reports, submissions)
    out, _ = again.communicate(timeout=300)
    assert f"graded 0, unchanged {students}" in out.decode()


def test_a_batch_keeps_its_results_without_images_while_the_book_keeps_them(
        tmp_path: Path) -> None:
    from grader.paths import Course
    from grader.runner import grade

    submissions = tmp_path / "class"
    shutil.copytree(ROOT / "submissions" / "02_perceptron" / "correct_sum",
                    submissions / "correct_sum")
    db = tmp_path / "g.sqlite"
    summary = grade(Course(ROOT), ["02_perceptron"], db_path=db, submissions=submissions,
                    jobs=1, progress=False)
    kept = summary.results[0]
    assert kept.points == 44 and not any(o.artifacts for o in kept.outcomes)
    with Gradebook(db) as book:
        stored = book.current("02_perceptron")[0]
    images = [a for o in stored.outcomes for a in o.artifacts if a["kind"] == "image"]
    assert len(images) == 2  # the script's two figures, for the report
    assert [o.status for o in stored.outcomes] == [o.status for o in kept.outcomes]
