"""Operations on a student's module that tests need in both modes.

The grader's worker uses these inside the sandbox, and the student kit ships this
same file (``tests/studentops.py``) so that a test behaves identically on a laptop.
Standard library and numpy only.

It also holds the course's standard test functions (``WORKER_FUNCTIONS``). A test that
hands one of them to student code (``numerical_gradient(function_2, x)``) has it run
where the student's code runs: in grading the codec sends it by name, so the student's
hundreds of calls to f cost no round trip to the judge each. Any other function a test
passes is called back in the judge.
"""

from __future__ import annotations

import ast
import os
from types import ModuleType
from typing import Any


def is_main_test(test: ast.expr) -> bool:
    """True for ``__name__ == "__main__"`` (in either order)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    constants = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(constants) == 1


def run_main_blocks(module: ModuleType) -> int:
    """Run a module's ``if __name__ == "__main__":`` blocks in its own namespace.

    This is what ``python module.py`` does after the module's top level has run, so
    importing the module and then calling this behaves like running the script. It
    returns the number of blocks run (0 when the file has none).
    """
    path = module.__file__ or ""
    with open(path, "rb") as handle:
        tree = ast.parse(handle.read(), filename=path)
    blocks = [node for node in tree.body if isinstance(node, ast.If) and is_main_test(node.test)]
    namespace = module.__dict__
    for block in blocks:
        code = compile(ast.Module(body=block.body, type_ignores=[]), path, "exec")
        saved = namespace.get("__name__")
        namespace["__name__"] = "__main__"
        try:
            exec(code, namespace)  # noqa: S102 - the student's own script
        finally:
            namespace["__name__"] = saved
    return len(blocks)


def swap_attributes(target: Any, values: dict) -> dict:
    """Set each of ``values`` on ``target``; return what was there before (None if nothing).

    A test that replaces a module's functions for a while (the script run with the
    reference's parts) does it in one round trip each way instead of three per name.
    """
    if not isinstance(values, dict):
        raise TypeError("swap needs a dict of names to values")
    before = {}
    for name, value in values.items():
        before[name] = getattr(target, name, None)
        setattr(target, name, value)
    return before


def assign(target: Any, path: list, value: Any) -> str:
    """Set ``target.<path>`` to ``value``; in place when it is an array of the same shape.

    Student code often keeps references to parameter arrays (the book's TwoLayerNet
    hands ``params['W1']`` to its Affine layer); replacing the array would cut that
    link, copying into it keeps it. ``path`` mixes attribute names and dict keys:
    ``["params", "W1"]``. Returns ``"in_place"`` or ``"replaced"``.
    """
    import numpy as np

    *parents, last = path
    for step in parents:
        target = target[step] if isinstance(target, dict) or isinstance(step, int) \
            else getattr(target, step)
    is_mapping = isinstance(target, dict) or isinstance(last, int)
    current = target.get(last) if isinstance(target, dict) else (
        target[last] if is_mapping else getattr(target, last, None))
    if (isinstance(current, np.ndarray) and isinstance(value, np.ndarray)
            and current.shape == value.shape and current.flags.writeable):
        np.copyto(current, value, casting="unsafe")
        return "in_place"
    if is_mapping:
        target[last] = value
    else:
        setattr(target, last, value)
    return "replaced"


def argument_snapshot(args: list, kwargs: dict) -> dict:
    """Copies of the array arguments of a call, keyed by position or keyword."""
    import numpy as np

    copies: dict = {index: value.copy() for index, value in enumerate(args)
                    if isinstance(value, np.ndarray)}
    copies.update({key: value.copy() for key, value in kwargs.items()
                   if isinstance(value, np.ndarray)})
    return copies


def changed_arguments(before: dict, args: list, kwargs: dict) -> list:
    """Positions and keywords of array arguments whose contents the call changed."""
    import numpy as np

    changed = []
    for key, old in before.items():
        new = args[key] if isinstance(key, int) else kwargs.get(key)
        if not (isinstance(new, np.ndarray) and new.shape == old.shape
                and np.array_equal(new, old, equal_nan=old.dtype.kind in "fc")):
            changed.append(key)
    return changed


#: The skeleton's placeholder in file names the student renames (``ex_02_student_id.py``).
TEMPLATE_ID = "student_id"


def find_module_file(scripts_dir: str, name: str) -> str | None:
    """``name.py``, else the single ``name_*.py`` (``ex_02`` -> ``ex_02_s1234567.py``).

    The skeleton left beside the renamed copy (``ex_02_student_id.py``) does not count,
    as in grading, where only the submitted file is there; alone, it is the one.
    """
    exact = os.path.join(scripts_dir, f"{name}.py")
    if os.path.isfile(exact):
        return exact
    matches = sorted(entry for entry in os.listdir(scripts_dir)
                     if entry.startswith(f"{name}_") and entry.endswith(".py"))
    renamed = [entry for entry in matches if entry != f"{name}_{TEMPLATE_ID}.py"]
    chosen = renamed if renamed else matches
    return os.path.join(scripts_dir, chosen[0]) if len(chosen) == 1 else None


# ----------------------------------------------------------------------------- functions
# Pure functions of x only (numbers or numpy arrays), the same on both sides.


def function_1(x: Any) -> Any:
    """The slides' y = 0.01 x^2 + 0.1 x (elementwise)."""
    return 0.01 * x ** 2 + 0.1 * x


def function_2(x: Any) -> float:
    """The slides' f(x0, x1) = x0^2 + x1^2, for any shape: Σ x^2."""
    import numpy as np

    return float(np.sum(np.asarray(x, dtype=float) ** 2))


def square_sum(x: Any) -> float:
    """Σ x^2 (the same as function_2, by the name the public tests use)."""
    return function_2(x)


def cube(x: Any) -> Any:
    """x^3 (elementwise)."""
    return x ** 3


def coupled(x: Any) -> float:
    """f(x) = Σ x^3 / 3 + (Σ x)^2 / 2 for any shape; ∂f/∂x_i = x_i^2 + Σ x.

    The second term couples the elements, so a shifted neighbour (x not restored) or a
    row evaluated on its own changes every partial derivative.
    """
    import numpy as np

    x = np.asarray(x, dtype=float)
    return float(np.sum(x ** 3) / 3.0 + 0.5 * np.sum(x) ** 2)


WORKER_FUNCTIONS = {f.__name__: f for f in (function_1, function_2, square_sum, cube, coupled)}
