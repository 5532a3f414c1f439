"""The public tests as a student runs them: `pytest` in the assignment folder, no grader.

The first two tests run for every assignment; the others check 02_perceptron's
messages in detail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.manifest import load_assignment
from grader.paths import Course
from grader.validate import submission_from_folder
from grader.worker.studentops import find_module_file

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "assignments" / "02_perceptron"
SOLUTION = ROOT / "reference" / "02_perceptron" / "solution"


ASSIGNMENTS = Course(ROOT).assignment_names()


def copy_kit(assignment: str, tmp_path: Path) -> Path:
    """A copy of the kit as a student receives it (links resolved)."""
    target = tmp_path / assignment
    shutil.copytree(ROOT / "assignments" / assignment, target,
                    ignore=shutil.ignore_patterns("__pycache__", "*.png"))
    return target


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return copy_kit("02_perceptron", tmp_path)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_skeleton_fails_cleanly(assignment: str, tmp_path: Path) -> None:
    done = run_pytest(copy_kit(assignment, tmp_path))
    assert done.returncode == 1, done.stdout
    assert " passed" not in done.stdout.splitlines()[-1], done.stdout
    assert "まだ実装されていません" in done.stdout and "not implemented yet" in done.stdout
    assert "Traceback" not in done.stdout and "_pytest" not in done.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_reference_passes_its_public_tests(assignment: str, tmp_path: Path) -> None:
    kit = copy_kit(assignment, tmp_path)
    solution = submission_from_folder(load_assignment(Course(ROOT), assignment), "reference",
                                      "s2601234")
    for expected in load_assignment(Course(ROOT), assignment).modules:
        skeleton = find_module_file(str(kit / "scripts"), expected.module or "")
        if skeleton:
            Path(skeleton).unlink()
    for name, content in solution.files.items():
        (kit / "scripts" / name).write_bytes(content)
    done = run_pytest(kit)
    assert done.returncode == 0, done.stdout


def run_pytest(kit: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=kit, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


def test_skeleton_messages_name_the_function(kit: Path) -> None:
    done = run_pytest(kit)
    assert "20 failed" in done.stdout
    assert "predict はまだ実装されていません" in done.stdout
    assert "predict is not implemented yet" in done.stdout


def test_language_option(kit: Path) -> None:
    done = run_pytest(kit, "--lang", "en")
    assert "is not implemented yet" in done.stdout and "実装されていません" not in done.stdout


def test_wrong_value_shows_expected_and_actual(kit: Path) -> None:
    shutil.copy(SOLUTION / "gradient_method.py", kit / "scripts" / "gradient_method.py")
    path = kit / "scripts" / "gradient_method.py"
    path.write_text(path.read_text("utf-8").replace("return w * x + b", "return w * x"), "utf-8")
    done = run_pytest(kit, "tests/test_gradient_method.py::test_predict")
    assert "expected 1, got 0" in done.stdout and "期待 1、実際 0" in done.stdout


def test_syntax_error_is_one_line(kit: Path) -> None:
    path = kit / "scripts" / "perceptron.py"
    path.write_text(path.read_text("utf-8").replace("def forward(self, x):",
                                                    "def forward(self, x)"), "utf-8")
    done = run_pytest(kit, "tests/test_perceptron.py")
    assert "perceptron.py line" in done.stdout and "SyntaxError" in done.stdout
    assert "Traceback" not in done.stdout
