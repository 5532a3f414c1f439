"""The import rules of docs/architecture.md hold, and grader/ has no import cycle.

Imports are read from the source (every ``import``, wherever it is, function bodies and
``TYPE_CHECKING`` blocks included), so a lazy import does not hide a dependency. ``from
package import name`` counts as importing the submodule ``package.name`` when there is
one, else the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

GRADER = ROOT / "grader"
FOUNDATION = {"errors", "i18n", "paths", "results", "manifest"}
#: Room -> rooms it may import (besides itself): docs/architecture.md, "Import rules".
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "i18n": set(),
    "paths": {"errors"},
    "results": {"errors", "i18n"},
    "manifest": {"errors", "i18n", "paths"},
    "worker": set(),
    "ingest": FOUNDATION,
    "sandbox": FOUNDATION | {"worker"},
    "judge": FOUNDATION | {"sandbox", "worker"},
    "executors": FOUNDATION | {"judge"},
    "dask_executor": FOUNDATION | {"judge"},
    "adjustments": {"errors"},
    "gradebook": FOUNDATION | {"adjustments"},
    "grades": FOUNDATION | {"adjustments"},
    "runner": FOUNDATION | {"ingest", "sandbox", "judge", "executors", "gradebook"},
    "output": FOUNDATION | {"adjustments", "gradebook", "grades"},
    "validate": FOUNDATION | {"ingest", "executors", "worker"},
    "release": FOUNDATION,
    "bench": FOUNDATION | {"ingest", "runner", "gradebook", "output", "worker"},
    "cli": {"*"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in GRADER.rglob("*.py")
           if "__pycache__" not in path.parts}


def room(module: str) -> str:
    """``grader.judge.session`` -> ``judge``; the bare ``grader`` package -> ``grader``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "grader"


def imports_of(module: str) -> set[str]:
    """The grader modules ``module`` imports."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                     for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in MODULES and name != module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_room_is_known() -> None:
    rooms = {room(module) for module in MODULES} - {"grader"}
    assert rooms == set(ALLOWED), "add the new room to docs/architecture.md and ALLOWED"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_rules(module: str) -> None:
    own = room(module)
    if own == "grader" or "*" in ALLOWED[own]:
        return
    allowed = ALLOWED[own] | {own, "grader"}
    wrong = sorted(target for target in GRAPH[module] if room(target) not in allowed)
    assert not wrong, f"{module} ({own}) may not import {wrong}"


def test_the_worker_imports_only_itself() -> None:
    for module in MODULES:
        if room(module) == "worker":
            assert {room(target) for target in GRAPH[module]} <= {"worker", "grader"}, module


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_a_cycle_is_found() -> None:
    """The check itself can fail."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_too_big() -> None:
    sizes = {module: len(path.read_text(encoding="utf-8").splitlines())
             for module, path in MODULES.items()}
    assert {module: size for module, size in sizes.items() if size > 420} == {}
