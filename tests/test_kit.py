"""The public tests as a student runs them: `pytest` in the assignment folder, no grader."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "assignments" / "02_perceptron"
SOLUTION = ROOT / "reference" / "02_perceptron" / "solution"


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    """A copy of the kit as a student receives it (links resolved)."""
    target = tmp_path / "02_perceptron"
    shutil.copytree(KIT, target, ignore=shutil.ignore_patterns("__pycache__", "*.png"))
    return target


def run_pytest(kit: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=kit, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


def test_skeleton_fails_cleanly_in_both_languages(kit: Path) -> None:
    done = run_pytest(kit)
    assert done.returncode == 1
    assert "9 failed" in done.stdout
    assert "predict はまだ実装されていません" in done.stdout
    assert "predict is not implemented yet" in done.stdout
    assert "Traceback" not in done.stdout and "_pytest" not in done.stdout


def test_language_option(kit: Path) -> None:
    done = run_pytest(kit, "--lang", "en")
    assert "is not implemented yet" in done.stdout and "実装されていません" not in done.stdout


def test_solution_passes_the_public_tests(kit: Path) -> None:
    for name in ("gradient_method.py", "perceptron.py"):
        shutil.copy(SOLUTION / name, kit / "scripts" / name)
    (kit / "scripts" / "ex_02_student_id.py").unlink()
    shutil.copy(SOLUTION / "ex_02.py", kit / "scripts" / "ex_02_s2601234.py")
    done = run_pytest(kit)
    assert done.returncode == 0, done.stdout
    assert "9 passed" in done.stdout


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
