"""pytest plugin for the benchmark's baselines: the same tests, student imported directly.

"The usual way" to autograde: one ``python -m pytest`` per submission, the student's
module imported straight into the test process, pytest-timeout against infinite loops.
This plugin supplies the fixtures the course's tests use (``student``, ``reference``,
``mistakes``, ``artifacts``) in that mode. It is loaded with ``-p grader.bench.baseline``
and reads the folders from environment variables set by ``grader.bench``.

It is NOT safe for grading: student code runs inside the test process. It exists only
to measure what the grader is compared against.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from grader.worker import studentops


def _scripts() -> Path:
    return Path(os.environ["BENCH_SCRIPTS"])


class DirectStudent:
    mode = "local"

    def __call__(self, name: str) -> Any:
        path = studentops.find_module_file(str(_scripts()), name)
        if path is None:
            pytest.fail(f"{name}.py not found")
        if str(_scripts()) not in sys.path:
            sys.path.insert(0, str(_scripts()))
        return importlib.import_module(Path(path).stem)

    def run_script(self, name: str) -> str:
        module = self(name)
        output = io.StringIO()
        cwd = os.getcwd()
        os.chdir(_scripts())
        try:
            with contextlib.redirect_stdout(output):
                studentops.run_main_blocks(module)
        finally:
            os.chdir(cwd)
        return output.getvalue()

    def read_output(self, file_name: str) -> bytes | None:
        path = _scripts().parent / "outputs" / file_name
        return path.read_bytes() if path.is_file() else None

    def remove_output(self, file_name: str) -> None:
        (_scripts().parent / "outputs" / file_name).unlink(missing_ok=True)

    def assign(self, obj: Any, path: list, value: Any) -> str:
        return studentops.assign(obj, path, value)


class NoArtifacts:
    def curve(self, *args: Any, **kwargs: Any) -> None:
        pass

    def image(self, *args: Any, **kwargs: Any) -> None:
        pass

    def note(self, *args: Any, **kwargs: Any) -> None:
        pass


_references: dict[str, Any] = {}


def _reference(name: str) -> Any:
    """Import a reference module without mixing it up with the student's of the same name."""
    if name not in _references:
        solution = os.environ["BENCH_SOLUTION"]
        own = {entry[:-3] for entry in os.listdir(solution) if entry.endswith(".py")}
        saved = {n: sys.modules.pop(n) for n in list(sys.modules) if n in own}
        sys.path.insert(0, solution)
        try:
            path = studentops.find_module_file(solution, name)
            importlib.import_module(Path(path or name).stem)
            _references[name] = sys.modules[Path(path or name).stem]
        finally:
            sys.path.remove(solution)
            for loaded in own:
                sys.modules.pop(loaded, None)
            sys.modules.update(saved)
    return _references[name]


@pytest.fixture
def student() -> DirectStudent:
    return DirectStudent()


@pytest.fixture
def reference() -> Any:
    return _reference


@pytest.fixture
def artifacts() -> NoArtifacts:
    return NoArtifacts()


class NoConventions:
    def recognised(self, quantity: str, accepted: str) -> None:
        pass


@pytest.fixture
def conventions() -> NoConventions:
    return NoConventions()


@pytest.fixture(scope="session")
def mistakes() -> dict:
    path = Path(os.environ["BENCH_MISTAKES"])
    if not path.is_file():
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle).get("mistakes", {})
