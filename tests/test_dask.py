"""Scale-out: grading through a Dask cluster gives the same, resumable results."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, expected_samples
from grader.gradebook import Gradebook
from grader.paths import Course
from grader.runner import grade

distributed = pytest.importorskip("distributed")

STUDENTS = ["correct_mean", "mistake_update_sign", "syntax_error", "exit_at_import"]


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local, Client(local) as client:
        yield client


def test_dask_grades_like_the_local_executor(cluster, tmp_path: Path) -> None:
    from grader.dask_executor import DaskExecutor

    submissions = tmp_path / "class"
    for student in STUDENTS:
        shutil.copytree(ROOT / "submissions" / "02_perceptron" / student, submissions / student)
    db = tmp_path / "book.sqlite"
    course = Course(ROOT)
    summary = grade(course, ["02_perceptron"], db_path=db, submissions=submissions,
                    executor=DaskExecutor(client=cluster), progress=False)
    assert (summary.graded, summary.errors) == (len(STUDENTS), 0)
    expected = expected_samples("02_perceptron")
    with Gradebook(db) as book:
        points = {r.student_id: r.points for r in book.current()}
    assert points == {student: expected[student]["points"] for student in STUDENTS}
    again = grade(course, ["02_perceptron"], db_path=db, submissions=submissions,
                  executor=DaskExecutor(client=cluster), progress=False)
    assert (again.graded, again.skipped) == (0, len(STUDENTS))


def test_a_worker_with_another_suite_is_not_trusted(cluster, tmp_path: Path,
                                                    scratch_course: Course) -> None:
    """Workers grading with a different copy of the course: attempts kept, no grade."""
    from grader.dask_executor import DaskExecutor

    hidden = scratch_course.assignment("02_perceptron").hidden_tests / "test_hidden_ex_02.py"
    hidden.write_text(hidden.read_text("utf-8") + "\n# changed on the workers\n", "utf-8")
    cluster.run(lambda: __import__("os").environ.__setitem__("GRADER_COURSE",
                                                            str(scratch_course.root)))
    try:
        submissions = tmp_path / "class"
        shutil.copytree(ROOT / "submissions" / "02_perceptron" / "correct_sum",
                        submissions / "correct_sum")
        summary = grade(Course(ROOT), ["02_perceptron"], db_path=tmp_path / "b.sqlite",
                        submissions=submissions, executor=DaskExecutor(client=cluster),
                        progress=False)
    finally:
        cluster.run(lambda: __import__("os").environ.pop("GRADER_COURSE", None))
    assert summary.errors == 1
    assert "another version of the test suite" in summary.results[0].error
