"""``grader release NAME --out DIR``: the starter kit students download, and proof it leaks nothing.

The kit is ``assignments/<name>/`` as a student needs it: ``scripts/`` (skeletons),
``tests/`` (public tests with the shared ``conftest.py``, ``checks.py``,
``kit_plugin.py`` and ``studentops.py`` copied in place of their links), ``data/``, an
empty ``outputs/``, ``TASK.ja.md``/``TASK.en.md``, ``考察.md`` when there are written
questions, ``pack.py`` with its ``submission.toml`` (check and zip a submission), and
``pyproject.toml`` with ``uv.lock`` and ``requirements.txt`` (``uv run pytest``, or pip
with pinned versions; ``tools/lock_kits.py`` writes both). It is written
to ``DIR/<name>/`` and packed into ``DIR/<name>.zip`` (sorted, fixed dates: the same
kit gives the same bytes).

Nothing from ``reference/`` may be in it. Before the kit is kept, :func:`check_kit`
compares it with the reference: no file may be a copy of a reference file, and no
function body of the solution or the hidden tests may appear in it, except functions
the skeleton hands out unchanged (``load_data``...), which are listed as shared. Then
the public tests are run on the untouched skeleton: they must run and fail cleanly
(failures, no errors, no tracebacks, nothing passing).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.manifest import Assignment, load_assignment
from grader.manifest.questions import DISCUSSION_FILE, PLACEHOLDER
from grader.paths import Course

SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".venv", ".ruff_cache",
                ".mypy_cache"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
DEFAULT_PYPROJECT = """# 課題 {name} の環境 / environment for assignment {name}.
#   uv run pytest            公開テスト (scripts/ からも可) / public tests (also from scripts/)
#   uv run pack.py <学籍番号>  提出用 zip を作成 / make the zip to upload
[project]
name = "nn-{slug}"
version = "1.0.0"
requires-python = ">=3.11"
dependencies = ["numpy>=2.0", "matplotlib>=3.8", "pytest>=8.4"]

[tool.uv]
package = false

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["tests"]
addopts = "-q -p kit_plugin"
"""


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string for this content


def submission_toml(assignment: Assignment) -> str:
    """The kit's ``submission.toml``: what ``pack.py`` zips (the manifest's [[files]]:
    code from scripts/, other files from the kit folder or scripts/, figures from
    outputs/) and the 考察 questions it reminds the student of."""
    lines = ["# 提出するファイル。pack.py が読みます (マニフェストから生成、編集不可)。",
             "# Files to submit, read by pack.py (generated from the manifest; do not edit).",
             f"assignment = {_toml(assignment.name)}",
             f"discussion = {_toml(DISCUSSION_FILE)}",
             f"placeholder = {_toml(PLACEHOLDER)}"]
    for expected in assignment.files:
        folders = ["scripts"] if expected.module else [".", "scripts"]
        lines += ["", "[[files]]", f"name = {_toml(expected.name)}",
                  f"folders = [{', '.join(_toml(f) for f in folders)}]"]
        if expected.optional:
            lines.append("optional = true")
    for question in assignment.questions:
        lines += ["", "[[questions]]", f"id = {_toml(question.id)}",
                  f"title = {_toml(question.title['ja'] + ' / ' + question.title['en'])}"]
    for figure in assignment.figures:
        lines += ["", "[[figures]]", f"file = {_toml(figure.file)}"]
    return "\n".join(lines) + "\n"


class ReleaseError(Exception):
    """The kit cannot be built, or it would leak reference code."""


@dataclass
class Release:
    assignment: str
    folder: Path
    archive: Path
    files: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)
    """Functions the skeleton shares with the reference (handed out unchanged)."""


# ----------------------------------------------------------------------------- building


def kit_files(assignment: Assignment) -> list[tuple[str, Path]]:
    """(path in the kit, file to copy) for every file of the kit, links resolved."""
    kit = assignment.paths.kit
    reference = assignment.paths.course.reference_dir.resolve()
    files = []
    for directory, subdirs, names in os.walk(kit, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        relative_dir = Path(directory).relative_to(kit)
        for name in sorted(names):
            relative = relative_dir / name
            if relative.parts[0] == "outputs" and not name.startswith("."):
                continue  # figures made by running the code, not part of the kit
            if name.endswith((".pyc", ".pyo")):
                continue
            source = (Path(directory) / name).resolve()
            if source == reference or reference in source.parents:
                raise ReleaseError(f"{relative} links into reference/ ({source}): the kit "
                                   f"must not contain reference files")
            if not source.is_file():
                raise ReleaseError(f"{relative} is a broken link ({source})")
            files.append((relative.as_posix(), source))
    return files


def _write_zip(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in sorted(folder.rglob("*")):
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                info = zipfile.ZipInfo(name + "/", ZIP_DATE)
                info.external_attr = 0o40755 << 16
                handle.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(name, ZIP_DATE)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                handle.writestr(info, path.read_bytes())


def build(course: Course, name: str, out: Path, *, check_tests: bool = True) -> Release:
    """Write the kit to ``out/<name>/`` and ``out/<name>.zip``. Raises ReleaseError."""
    assignment = load_assignment(course, name)
    if not assignment.paths.kit.is_dir():
        raise ReleaseError(f"no kit at {assignment.paths.kit}")
    target, archive = out / name, out / f"{name}.zip"
    if target.exists() or archive.exists():
        raise ReleaseError(f"{target} or {archive} already exists: remove it or choose "
                           f"another --out")
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out))
    try:
        folder = staging / name
        copied = []
        for relative, source in kit_files(assignment):
            destination = folder / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            copied.append(relative)
        (folder / "outputs").mkdir(exist_ok=True)
        if not any((folder / "outputs").iterdir()):
            (folder / "outputs" / ".gitkeep").write_bytes(b"")
            copied.append("outputs/.gitkeep")
        if not (folder / "pyproject.toml").is_file():
            (folder / "pyproject.toml").write_text(
                DEFAULT_PYPROJECT.format(name=name, slug=name.replace("_", "-")),
                encoding="utf-8")
            copied.append("pyproject.toml")
        problems, shared = check_kit(folder, assignment)
        if check_tests and not problems:
            trial = staging / "trial" / name  # a copy: running tests leaves caches and outputs
            shutil.copytree(folder, trial)
            problems += check_public_tests(trial)
        if problems:
            raise ReleaseError(f"the kit for {name} was not written:\n  - " +
                               "\n  - ".join(problems))
        folder.rename(target)
        _write_zip(target, archive)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Release(name, target, archive, sorted(copied), shared)


# ----------------------------------------------------------------------------- checking


def function_bodies(source: str, label: str) -> dict[str, tuple[str, int]]:
    """``{"label:Class.method": (normalised body, statements)}`` for every function that
    is more than a stub (docstrings dropped)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    found: dict[str, tuple[str, int]] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = child.body
                if (body and isinstance(body[0], ast.Expr)
                        and isinstance(body[0].value, ast.Constant)
                        and isinstance(body[0].value.value, str)):
                    body = body[1:]
                if not _trivial(body):
                    found[f"{label}:{prefix}{child.name}"] = (
                        ast.dump(ast.Module(body=body, type_ignores=[])), len(body))
                walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{prefix}{child.name}.")

    walk(tree, "")
    return found


def _trivial(body: list[ast.stmt]) -> bool:
    """Too small to be anyone's solution: pass, ..., raise X, return a name or constant."""
    if len(body) != 1:
        return not body
    statement = body[0]
    if isinstance(statement, (ast.Pass, ast.Raise)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return True
    return isinstance(statement, ast.Return) and (
        statement.value is None or isinstance(statement.value, (ast.Name, ast.Constant)))


def _test_secret(key: str, statements: int) -> bool:
    """Hidden tests' secrets: the tests themselves and helpers of more than one statement.

    A one-statement helper (``return np.sum(x ** 2)``, the function a gradient test
    differentiates) is test data that public and hidden tests may share.
    """
    name = key.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
    return name.startswith("test") or statements > 1


def reference_files(assignment: Assignment) -> list[Path]:
    """Files of reference/<name>/ that are not the kit's own (data/ links to the kit)."""
    kit = assignment.paths.kit.resolve()
    found = []
    for path in sorted(assignment.paths.reference.rglob("*")):
        resolved = path.resolve()
        if (path.is_file() and "__pycache__" not in path.parts
                and kit not in resolved.parents):
            found.append(path)
    return found


def check_kit(folder: Path, assignment: Assignment) -> tuple[list[str], list[str]]:
    """Problems (reference content in the kit) and the functions shared on purpose."""
    problems: list[str] = []
    reference = reference_files(assignment)
    contents = {path.read_bytes(): path for path in reference if path.stat().st_size}
    secret: dict[str, str] = {}
    for path in reference:
        if path.suffix == ".py":
            label = path.relative_to(assignment.paths.reference).as_posix()
            in_tests = path.is_relative_to(assignment.paths.hidden_tests)
            for key, (body, size) in function_bodies(path.read_text("utf-8", "replace"),
                                                     label).items():
                if in_tests and not _test_secret(key, size):
                    continue
                secret.setdefault(body, key)
    skeleton: dict[str, str] = {}
    scripts = assignment.paths.scripts
    for path in sorted(scripts.glob("*.py")) if scripts.is_dir() else []:
        bodies = function_bodies(path.read_text("utf-8", "replace"), f"scripts/{path.name}")
        skeleton.update({key: body for key, (body, _size) in bodies.items()})
    shared: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if data in contents:
            problems.append(f"{relative} is a copy of "
                            f"{contents[data].relative_to(assignment.paths.course.root)}")
            continue
        if path.suffix != ".py":
            continue
        for key, (body, _size) in function_bodies(data.decode("utf-8", "replace"),
                                                  relative).items():
            if body not in secret:
                continue
            # A skeleton function identical to the reference is handed out on purpose.
            if relative.startswith("scripts/") and skeleton.get(key) == body:
                shared.append(f"{key} (= {secret[body]})")
            else:
                problems.append(f"{key} has the body of the reference's {secret[body]}")
    return problems, shared


def run_public_tests(folder: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """``pytest`` in the kit, as a student runs it (no plugins, a clean environment)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "HOME": str(folder), "MPLBACKEND": "Agg", "LANG": "C.UTF-8",
           "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-P", "-m", "pytest", "-p", "no:cacheprovider"],
                          cwd=folder, capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def check_public_tests(folder: Path) -> list[str]:
    """The public tests run on the untouched skeleton and fail cleanly."""
    done = run_public_tests(folder)
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else ""
    problems = []
    if done.returncode != 1:
        problems.append(f"the public tests on the skeleton exited with {done.returncode} "
                        f"(expected 1: tests ran and failed): {summary or done.stderr[-300:]}")
    if " passed" in summary:
        problems.append(f"some public tests pass on the untouched skeleton: {summary}")
    if " error" in summary or "Traceback" in done.stdout:
        problems.append(f"the public tests end in errors or tracebacks on the skeleton: "
                        f"{summary}")
    return problems
