"""The project's own code passes ruff and mypy (settings in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff")
                    .exists(), reason="ruff is installed by the test extras")
def test_ruff() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff) if ruff.exists() else "ruff", "check", "grader", "tests",
                           "assignments", "reference", "--output-format", "concise"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_mypy() -> None:
    mypy = Path(sys.executable).parent / "mypy"
    if not mypy.exists():
        pytest.skip("mypy is installed by the test extras")
    done = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
