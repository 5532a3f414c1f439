"""``grader release``: the starter kit has what a student needs and nothing from reference/."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from grader.manifest import load_assignment
from grader.paths import Course
from grader.release import ReleaseError, build, run_public_tests

ASSIGNMENTS = Course(ROOT).assignment_names()
#: Functions 02_perceptron's skeleton hands out unchanged (identical in the reference).
PERCEPTRON_SHARED = ["scripts/ex_02_student_id.py:predict_original",
                     "scripts/gradient_method.py:load_data",
                     "scripts/perceptron.py:Function1.__init__",
                     "scripts/perceptron.py:load_data"]


def stub(body: list[ast.stmt]) -> bool:
    """``pass``, ``...``, ``raise NotImplementedError``, ``return x``: nobody's solution."""
    if len(body) != 1:
        return not body
    only = body[0]
    return isinstance(only, (ast.Pass, ast.Raise)) or (
        isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant)) or (
        isinstance(only, ast.Return) and isinstance(only.value, (ast.Name, ast.Constant,
                                                                 type(None))))


def bodies(path: Path) -> dict[str, tuple[str, int]]:
    """Every function's body (docstring dropped; stubs left out) by qualified name, with
    its number of statements. Written independently of grader/release.py, so the test
    does not trust the code it checks."""
    found = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = list(child.body)
                if body and isinstance(body[0], ast.Expr) and isinstance(
                        getattr(body[0], "value", None), ast.Constant):
                    body = body[1:]
                if not stub(body):
                    found[prefix + child.name] = (
                        ast.dump(ast.Module(body=body, type_ignores=[])), len(body))
                walk(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")

    walk(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_kit_has_no_reference_code_and_fails_cleanly(assignment: str, tmp_path: Path) -> None:
    course = Course(ROOT)
    kit = build(course, assignment, tmp_path / "out")
    folder = kit.folder
    # What a student needs, as real files (links resolved), nothing else.
    for needed in ("pyproject.toml", "TASK.ja.md", "TASK.en.md", "tests/conftest.py",
                   "tests/checks.py", "tests/studentops.py", "tests/kit_plugin.py", "outputs",
                   "pack.py", "submission.toml", "uv.lock", "requirements.txt"):
        assert (folder / needed).exists(), needed
    assert not any(p.is_symlink() for p in folder.rglob("*"))
    assert not any(p.name == "__pycache__" or p.suffix == ".pyc" for p in folder.rglob("*"))
    assert sorted(p.name for p in (folder / "scripts").glob("*.py")) == sorted(
        p.name for p in course.assignment(assignment).scripts.glob("*.py"))
    assert not list(folder.rglob("test_hidden_*")) and not list(folder.rglob("manifest.toml"))

    # Every function body of the kit against every one of the reference.
    reference = course.assignment(assignment).reference
    secret: dict[str, str] = {}
    for path in sorted(reference.rglob("*.py")):
        if "data" in path.relative_to(reference).parts:
            continue  # reference/<name>/data is a link to the kit's data
        for name, (body, _size) in bodies(path).items():
            secret.setdefault(body, f"{path.relative_to(reference)}:{name}")
    skeleton = {f"scripts/{p.name}:{name}": body
                for p in course.assignment(assignment).scripts.glob("*.py")
                for name, (body, _size) in bodies(p).items()}
    identical = []
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder).as_posix()
        for name, (body, size) in bodies(path).items():
            if body in secret:
                identical.append((f"{relative}:{name}", size, secret[body]))
    for function, size, where in identical:
        if not function.startswith("scripts/"):
            # Only a one-statement helper of the tests (the function a test
            # differentiates) may also be in the hidden tests; never solution code.
            assert function.startswith("tests/test_") and size == 1, (function, where)
            assert where.startswith("tests/") and not function.split(":")[1].startswith("test")
    shared = [function for function, _size, _where in identical
              if function.startswith("scripts/")]
    for function in shared:  # handed out unchanged by the course's own skeleton
        assert function in skeleton
    assert [s.split(" ")[0] for s in kit.shared] == shared
    if assignment == "02_perceptron":
        assert shared == PERCEPTRON_SHARED

    # The public tests run on the untouched skeleton and fail cleanly.
    trial = tmp_path / "trial"
    shutil.copytree(folder, trial)
    done = run_public_tests(trial)
    summary = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 1, done.stdout[-2000:]
    assert " failed" in summary and " passed" not in summary and "error" not in summary
    assert "Traceback" not in done.stdout and "_pytest" not in done.stdout
    assert "まだ実装されていません" in done.stdout and "not implemented yet" in done.stdout

    # The zip holds the same files under <name>/.
    with zipfile.ZipFile(kit.archive) as archive:
        members = {n for n in archive.namelist() if not n.endswith("/")}
        assert members == {f"{assignment}/{f}" for f in kit.files}
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())


def test_a_kit_that_would_leak_is_not_written(scratch_course: Course, tmp_path: Path) -> None:
    paths = load_assignment(scratch_course, "02_perceptron").paths
    solution = (paths.solution / "perceptron.py").read_text(encoding="utf-8")
    (paths.kit / "tests" / "helpers.py").write_text(solution, encoding="utf-8")
    with pytest.raises(ReleaseError) as error:
        build(scratch_course, "02_perceptron", tmp_path / "out", check_tests=False)
    text = str(error.value)
    assert "tests/helpers.py is a copy of reference/02_perceptron/solution/perceptron.py" in text
    assert not (tmp_path / "out" / "02_perceptron").exists()
    # The same code pasted into a file of its own is found by its function bodies.
    (paths.kit / "tests" / "helpers.py").write_text("# mine\n" + solution, encoding="utf-8")
    with pytest.raises(ReleaseError, match="Perceptron.backward has the body of the reference"):
        build(scratch_course, "02_perceptron", tmp_path / "out", check_tests=False)
    # A link into reference/ is refused before anything is copied.
    (paths.kit / "tests" / "helpers.py").unlink()
    (paths.kit / "tests" / "test_hidden.py").symlink_to(
        paths.hidden_tests / "test_hidden_perceptron.py")
    with pytest.raises(ReleaseError, match="links into reference/"):
        build(scratch_course, "02_perceptron", tmp_path / "out", check_tests=False)


def test_release_command(tmp_path: Path) -> None:
    def release(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grader.cli", "release", *args],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)

    done = release("02_perceptron", "--out", str(tmp_path), "--no-test-run")
    assert done.returncode == 0, done.stderr
    assert f"-> {tmp_path / '02_perceptron'} and {tmp_path / '02_perceptron.zip'}" in done.stdout
    assert "scripts/perceptron.py:load_data" in done.stdout
    again = release("02_perceptron", "--out", str(tmp_path), "--no-test-run")
    assert again.returncode == 1 and "already exists" in again.stderr
    unknown = release("02_perceptrn", "--out", str(tmp_path))
    assert unknown.returncode == 2 and "Did you mean 02_perceptron" in unknown.stderr
