"""The kit's ``pack.py``: a student checks and zips a submission, the grader grades the zip.

Each test runs pack.py as a student does (``uv run pack.py <学籍番号>``: the kit's
Python, the working directory the kit or scripts/), on a copy of a kit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_kit, grade_class, put_reference
from grader.manifest import load_assignment
from grader.paths import Course

ASSIGNMENTS = Course(ROOT).assignment_names()


def pack(kit: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    script = "../pack.py" if cwd is not None and cwd != kit else "pack.py"
    return subprocess.run([sys.executable, "-P", script, *args], cwd=cwd or kit,
                          capture_output=True, text=True, timeout=180,
                          env={"PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_packed_reference_gets_full_marks(assignment: str, tmp_path: Path) -> None:
    """Kit -> pack.py (from scripts/) -> the zip, as uploaded -> grader: every point."""
    kit = copy_kit(assignment, tmp_path / "kit")
    put_reference(kit, assignment, "s2609999")
    done = pack(kit, "s2609999", "--lang", "en", "--out", str(tmp_path / "upload"),
                cwd=kit / "scripts")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ Public tests" in done.stdout and "passed" in done.stdout
    archive = tmp_path / "upload" / f"{assignment}_s2609999.zip"
    expected = load_assignment(Course(ROOT), assignment)
    with zipfile.ZipFile(archive) as handle:
        names = set(handle.namelist())
    for file in expected.modules:
        assert f"scripts/{file.name_for('s2609999')}" in names
    results = grade_class(Course(ROOT), assignment, tmp_path / "gradebook.sqlite",
                          submissions=tmp_path / "upload", jobs=1)
    assert list(results) == ["s2609999"]  # the id from the zip's name, not the file name
    result = results["s2609999"]
    assert result.points == result.max_points, [
        (o.test_id, o.status, o.message) for o in result.outcomes if o.earned < o.points]


def test_missing_and_template_named_files_are_refused(tmp_path: Path) -> None:
    kit = copy_kit("02_perceptron", tmp_path)
    done = pack(kit, "s2601234")
    assert done.returncode == 1
    assert "scripts/ex_02_s2601234.py がありません" in done.stdout
    assert "Rename ex_02_student_id.py to ex_02_s2601234.py" in done.stdout
    assert "No zip was written" in done.stdout and not list(kit.glob("*.zip"))

    (kit / "scripts" / "ex_02_student_id.py").rename(kit / "scripts" / "ex_02_s2609999.py")
    (kit / "scripts" / "perceptron.py").unlink()
    done = pack(kit, "s2601234", "--lang", "en")
    assert done.returncode == 1 and "ex_02_s2609999.py carries the id s2609999" in done.stdout
    assert "scripts/perceptron.py is missing" in done.stdout and "がありません" not in done.stdout


def test_a_syntax_error_is_refused_with_its_line(tmp_path: Path) -> None:
    kit = copy_kit("02_perceptron", tmp_path)
    put_reference(kit, "02_perceptron")
    path = kit / "scripts" / "perceptron.py"
    path.write_text(path.read_text("utf-8").replace("def forward(self, x):",
                                                    "def forward(self, x)"), "utf-8")
    done = pack(kit, "s2601234", "--lang", "ja")
    assert done.returncode == 1 and not list(kit.glob("*.zip"))
    assert "scripts/perceptron.py" in done.stdout and "構文エラー" in done.stdout


@pytest.mark.parametrize("student_id", ["student_id", "学籍番号", "a", "../x"])
def test_not_a_student_id(student_id: str, tmp_path: Path) -> None:
    kit = copy_kit("01_numerical_gradient", tmp_path)
    done = pack(kit, student_id, "--lang", "en")
    assert done.returncode == 2 and "is not a student id" in done.stdout
    assert not list(kit.rglob("*.zip"))


def test_failing_tests_warn_but_pack(tmp_path: Path) -> None:
    """Partial work may be submitted: the failures are listed, the zip is written."""
    kit = copy_kit("01_numerical_gradient", tmp_path)
    expected = load_assignment(Course(ROOT), "01_numerical_gradient")
    public = sum(1 for test in expected.tests if not test.hidden)
    done = pack(kit, "s2601234", "--lang", "en")
    assert done.returncode == 0, done.stdout
    assert f"Some public tests fail ({public} failed" in done.stdout and "FAILED" in done.stdout
    # The template 考察.md goes in (optional, present); the figures are not made yet.
    assert "Questions of 考察.md not answered yet: " + ", ".join(
        q.id for q in expected.questions) in done.stdout
    for figure in expected.figures:
        assert f"The figure outputs/{figure.file} is not there yet" in done.stdout
    with zipfile.ZipFile(kit / "01_numerical_gradient_s2601234.zip") as handle:
        assert sorted(handle.namelist()) == sorted(
            [f"scripts/{f.name}" for f in expected.modules] + ["考察.md"])
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in handle.infolist())


def test_answers_and_figures_go_in_the_zip(tmp_path: Path) -> None:
    kit = copy_kit("05_ct_classifier", tmp_path)
    put_reference(kit, "05_ct_classifier")
    shutil.copy(ROOT / "submissions/05_ct_classifier/correct/考察.md", kit / "考察.md")
    (kit / "outputs" / "ct_training.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    done = pack(kit, "s2601234", "--lang", "en", "--no-tests")
    assert done.returncode == 0, done.stdout
    assert "not answered yet" not in done.stdout and "not there yet" not in done.stdout
    assert "Running the public tests" not in done.stdout
    with zipfile.ZipFile(kit / "05_ct_classifier_s2601234.zip") as handle:
        assert sorted(handle.namelist()) == ["outputs/ct_training.png",
                                             "scripts/ct_classifier.py", "考察.md"]
