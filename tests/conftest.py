"""Shared fixtures for the grader's own tests.

Expensive set-up (grading the sample class) happens once per session.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from grader.executors import LocalExecutor
from grader.gradebook import Gradebook
from grader.manifest import load_assignment
from grader.paths import Course
from grader.results import JobResult
from grader.runner import grade
from grader.validate import submission_from_folder
from grader.worker.studentops import find_module_file

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT)


def expected_samples(assignment: str) -> dict:
    with open(EXPECTED / f"{assignment}.toml", "rb") as handle:
        return tomllib.load(handle)


def grade_class(course: Course, assignment: str, db: Path, **options) -> dict[str, JobResult]:
    grade(course, [assignment], db_path=db, progress=False, **options)
    with Gradebook(db) as book:
        return {r.student_id: r for r in book.current(assignment)}


def assignments_with_samples() -> list[str]:
    """Assignments whose sample class has expectations in tests/expected/."""
    return sorted(path.stem for path in EXPECTED.glob("*.toml"))


@pytest.fixture(scope="session")
def graded_classes(course: Course, tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[str, dict[str, JobResult]]:
    """Every sample class, graded once per session through the real pipeline (lazily)."""
    cache: dict[str, dict[str, JobResult]] = {}

    class Classes(dict):
        def __missing__(self, assignment: str) -> dict[str, JobResult]:
            db = tmp_path_factory.mktemp(f"gradebook-{assignment}") / "gradebook.sqlite"
            self[assignment] = grade_class(course, assignment, db, jobs=2)
            return self[assignment]

    return Classes(cache)


@pytest.fixture(scope="session")
def graded_perceptron(graded_classes: dict) -> dict[str, JobResult]:
    """The 02_perceptron sample class."""
    return graded_classes["02_perceptron"]


def copy_kit(assignment: str, tmp_path: Path) -> Path:
    """A copy of the kit as a student receives it (links resolved)."""
    target = tmp_path / assignment
    shutil.copytree(ROOT / "assignments" / assignment, target,
                    ignore=shutil.ignore_patterns("__pycache__", "*.png"))
    return target


def put_reference(kit: Path, assignment: str, student_id: str = "s2601234", *,
                  keep_templates: bool = False) -> None:
    """The reference solution in the kit's scripts/, under a student's file names."""
    solved = load_assignment(Course(ROOT), assignment)
    solution = submission_from_folder(solved, "reference", student_id)
    if not keep_templates:
        for expected in solved.modules:
            skeleton = find_module_file(str(kit / "scripts"), expected.module or "")
            if skeleton:
                Path(skeleton).unlink()
    for name, content in solution.files.items():
        (kit / "scripts" / name).write_bytes(content)


def copy_course(root: Path) -> Course:
    """A disposable copy of the course (assignments and reference, no samples) at ``root``."""
    shutil.copytree(ROOT / "assignments", root / "assignments", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.png"))
    shutil.copytree(ROOT / "reference", root / "reference", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "outputs"))
    # The kit's studentops.py is a link into grader/: point it at the real file.
    link = root / "assignments" / "_kit" / "studentops.py"
    link.unlink()
    link.symlink_to(ROOT / "grader" / "worker" / "studentops.py")
    (root / "submissions").mkdir()
    return Course(root)


@pytest.fixture
def scratch_course(tmp_path: Path) -> Course:
    """A copy of the course (without samples) that a test may break."""
    return copy_course(tmp_path / "course")


def assert_statuses(result: JobResult, expected: dict) -> None:
    """Every test has the status the expectation gives it (see tests/test_samples.py)."""
    statuses = {o.test_id: o.status for o in result.outcomes}
    if "all_failing_in" in expected:
        files = set(expected["all_failing_in"])
        wanted = {test_id: (expected["failing_status"] if test_id.split("::")[0] in files
                            else "passed") for test_id in statuses}
    else:
        wanted = {test_id: "passed" for test_id in statuses}
        wanted.update(expected.get("not_passed", {}))
    assert statuses == wanted
    assert result.points == expected["points"]


def single_executor() -> LocalExecutor:
    return LocalExecutor(jobs=1)
