"""A Colab / Jupyter notebook turned into a module, by parsing only (nothing is run).

Students write in Google Colab and hand in ``perceptron.ipynb``. The module is built
from the code cells, in order:

* IPython syntax is not Python: ``!pip install ...``, ``%matplotlib inline``,
  ``x = !ls`` and ``np.mean?`` lines become ``pass  # [nn-grader] ...`` (same line,
  same indentation); a cell magic such as ``%%bash`` comments out its cell, except
  ``%%time``/``%%timeit``/``%%capture``, whose body is ordinary code.
* A notebook runs its demo at the top level (load data, train, plot, print). Imported
  as a module, that would train at import, or fail on a Colab path. Top-level
  statements other than imports, definitions and simple constants are moved, in their
  order, under ``if __name__ == "__main__":`` at the end, so importing is cheap and
  running the file as a script still does the demo. An assignment that calls a
  notebook function or reads a file (``losses = train(...)``,
  ``df = pd.read_csv(...)``) is demo code, and so is anything using a name it set.
* Imports that cannot work while grading (``google.colab``, IPython, a package that is
  not installed) are commented out with the top-level statements that use them.
* A cell with a syntax error is left out (the report names the cell and line), so
  the other cells are still graded.
* Markdown cells are kept as the notebook's text (the written discussion).
"""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass, field

KEEP_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
#: Modules that exist only inside Colab or Jupyter.
NOTEBOOK_ONLY = ("google.colab", "IPython", "ipywidgets", "ipykernel", "jupyter")
#: Call roots that are cheap and side-effect free at import (constants, not demos).
PURE_ROOTS = {"np", "numpy", "math", "Path", "pathlib", "os", "range", "len", "int",
              "float", "str", "bool", "list", "dict", "tuple", "set", "frozenset", "slice",
              "sorted", "zip", "enumerate", "min", "max", "abs", "round", "sum", "divmod",
              "pow", "reversed", "map", "filter", "any", "all", "isinstance", "type",
              "object", "namedtuple", "collections", "field", "dataclass", "Enum"}
#: ...unless the call reads, writes or shows something.
IMPURE_ATTRIBUTES = {"loadtxt", "genfromtxt", "load", "save", "savez", "savez_compressed",
                     "savetxt", "fromfile", "tofile", "read_csv", "read_text", "read_bytes",
                     "write_text", "write_bytes", "open", "mkdir", "makedirs", "show",
                     "savefig", "system", "remove", "unlink", "rmtree", "listdir", "walk",
                     "glob", "iterdir", "chdir", "input", "getcwd", "scandir", "popen"}
MARK = "# [nn-grader]"
_MAGIC_LINE = re.compile(r"^([!%]|[\w\s,()\[\]]+=\s*[!%])")
_HELP_LINE = re.compile(r"^[\w.\[\]()]+\?{1,2}$")


class NotebookError(Exception):
    """Not a notebook that can be read (bad JSON, not nbformat)."""


@dataclass
class Conversion:
    source: str
    code_cells: int = 0
    moved: int = 0
    """Top-level statements moved under ``if __name__ == "__main__":``."""
    commented: int = 0
    """IPython lines (magics, shell commands, help) made into comments."""
    removed: list[str] = field(default_factory=list)
    """Imports of modules that cannot be used while grading."""
    dropped: list[tuple[int, int, str]] = field(default_factory=list)
    """Cells left out for a syntax error: (cell number, line in the cell, message)."""
    markdown: str = ""


@dataclass
class _Chunk:
    cell: int
    text: str
    kind: str  # keep | demo | removed | future


def _read(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """(cell number, source) of code cells, and the markdown cells' text."""
    import nbformat

    try:
        notebook = nbformat.reads(text, as_version=4, capture_validation_error={})
        cells = list(notebook.cells)
    except Exception as error:  # noqa: BLE001 - any parse failure is the student's file
        raise NotebookError(f"{type(error).__name__}: {str(error)[:200]}") from None
    code, markdown = [], []
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        if not isinstance(source, str):
            continue
        if cell.get("cell_type") == "code":
            code.append((number, source))
        elif cell.get("cell_type") == "markdown" and source.strip():
            markdown.append(source.strip())
    return code, markdown


def _ipython_to_python(source: str) -> tuple[str | None, int]:
    """The cell as Python (None for a non-Python cell magic) and lines commented out."""
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        magic = first[2:].split(maxsplit=1)[0] if len(first) > 2 else ""
        if magic not in KEEP_CELL_MAGICS:
            return None, len(lines)
        lines[0] = f"{MARK} {first}"
        count = 1
    else:
        count = 0
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(MARK):
            continue
        if _MAGIC_LINE.match(stripped) or _HELP_LINE.match(stripped):
            indent = line[:len(line) - len(stripped)]
            lines[index] = f"{indent}pass  {MARK} {stripped}"
            count += 1
    return "\n".join(lines), count


def _calls(node: ast.AST) -> list[ast.Call]:
    """Calls evaluated when ``node`` runs (not those inside lambdas or definitions)."""
    found, pending = [], [node]
    while pending:
        current = pending.pop()
        if isinstance(current, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef,
                                ast.ClassDef)):
            continue
        if isinstance(current, ast.Call):
            found.append(current)
        pending.extend(ast.iter_child_nodes(current))
    return found


def _root_and_attribute(func: ast.expr) -> tuple[str | None, str | None]:
    attribute = None
    while isinstance(func, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(func, ast.Attribute) and attribute is None:
            attribute = func.attr
        func = func.value if isinstance(func, (ast.Attribute, ast.Subscript)) else func.func
    return (func.id if isinstance(func, ast.Name) else None), attribute


def _loads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load)}


def _stores(node: ast.stmt) -> set[str]:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Store)}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names = {node.name}
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        names = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    return (any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


class _Classifier:
    """Decides, statement by statement, what stays at the top level."""

    def __init__(self, local_modules: set[str]) -> None:
        self.local_modules = local_modules
        self.defined: set[str] = set()     # functions and classes of the notebook
        self.demo_names: set[str] = set()  # names only demo code sets
        self.unavailable: set[str] = set()  # names bound by imports that cannot work
        self.removed_modules: list[str] = []

    def _available(self, module: str, level: int) -> bool:
        if level or module.startswith(NOTEBOOK_ONLY):
            return False
        top = module.split(".")[0]
        if top in self.local_modules or any(top.startswith(prefix)
                                            for prefix in self.local_modules
                                            if prefix.endswith("_")):
            return True
        try:
            return importlib.util.find_spec(top) is not None
        except (ImportError, ValueError):
            return False

    def _demo_value(self, node: ast.stmt) -> bool:
        if _loads(node) & self.demo_names:
            return True
        for call in _calls(node):
            root, attribute = _root_and_attribute(call.func)
            if root is None or root in self.defined or root in self.demo_names:
                return True
            if root not in PURE_ROOTS or attribute in IMPURE_ATTRIBUTES:
                return True
        return False

    def kind(self, node: ast.stmt) -> str:
        stores = _stores(node)
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return "future"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""])
            missing = [m for m in modules
                       if not self._available(m, getattr(node, "level", 0) or 0)]
            if missing:
                self.removed_modules.extend(missing)
                self.unavailable |= stores
                return "removed"
            self.demo_names -= stores
            self.unavailable -= stores
            return "keep"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Only what runs at definition time matters: decorators, defaults, bases.
            header: list[ast.AST] = list(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                header += [*node.bases, *node.keywords]
            else:
                header += [*node.args.defaults,
                           *(d for d in node.args.kw_defaults if d is not None)]
            used = set().union(*(_loads(part) for part in header))
            if used & self.unavailable:
                return "removed"
            self.defined |= stores
            self.demo_names -= stores
            return "demo" if used & self.demo_names else "keep"
        if _loads(node) & self.unavailable:
            return "removed"
        if _is_main_guard(node) or isinstance(node, ast.Pass):
            return "keep"
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            return "keep"  # a docstring or a bare string
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and not self._demo_value(node):
            self.demo_names -= stores
            return "keep"
        if isinstance(node, ast.Try) and all(isinstance(s, (ast.Import, ast.ImportFrom))
                                             for s in node.body):
            return "keep"
        self.demo_names |= stores
        return "demo"


def _chunks(cell: int, source: str, tree: ast.Module, classifier: _Classifier) -> list[_Chunk]:
    """The cell's top-level statements with the comments above them, classified."""
    lines = source.split("\n")
    chunks: list[_Chunk] = []
    previous_end = 0
    statements = tree.body
    index = 0
    while index < len(statements):
        node = statements[index]
        end = node.end_lineno or node.lineno
        group = [node]
        # Statements sharing a line (a; b) travel together.
        while index + 1 < len(statements) and statements[index + 1].lineno <= end:
            index += 1
            group.append(statements[index])
            end = max(end, statements[index].end_lineno or end)
        kinds = [classifier.kind(member) for member in group]
        kind = next((k for k in ("removed", "demo", "future") if k in kinds), "keep")
        chunks.append(_Chunk(cell, "\n".join(lines[previous_end:end]).strip("\n"), kind))
        previous_end = end
        index += 1
    return chunks


def _assemble(name: str, chunks: list[_Chunk], with_main: bool) -> str:
    header = [f"# Converted from the notebook {name} by nn-grader: its code cells, in order.",
              "# Demo code that would run at import was moved under if __name__ == "
              "\"__main__\": at the end."]
    future = [c.text for c in chunks if c.kind == "future"]
    body: list[str] = []
    cell = None
    for chunk in chunks:
        if chunk.kind in ("demo", "future"):
            continue
        if chunk.cell != cell:
            body.append(f"\n# %% cell {chunk.cell}")
            cell = chunk.cell
        if chunk.kind == "removed":
            body.append("\n".join(f"{MARK} not available while grading: {line}"
                                  for line in chunk.text.split("\n")))
        else:
            body.append(chunk.text + ("\n" if "\n" in chunk.text else ""))
    demo = [c for c in chunks if c.kind == "demo"]
    if with_main and demo:
        body.append('\n\nif __name__ == "__main__":')
        cell = None
        for chunk in demo:
            if chunk.cell != cell:
                body.append(f"    # %% cell {chunk.cell}")
                cell = chunk.cell
            body.append("\n".join(("    " + line) if line.strip() else ""
                                  for line in chunk.text.split("\n")))
    return "\n".join(header + future + body).rstrip() + "\n"


def convert(text: str, name: str, local_modules: set[str] | None = None) -> Conversion:
    """Build a module from a notebook's JSON text. Raises :class:`NotebookError`."""
    cells, markdown = _read(text)
    classifier = _Classifier(local_modules or set())
    conversion = Conversion(source="", code_cells=len(cells), markdown="\n\n".join(markdown))
    chunks: list[_Chunk] = []
    for number, source in cells:
        if not source.strip():
            continue
        python = source
        try:
            tree = ast.parse(source)
        except SyntaxError:
            rewritten, commented = _ipython_to_python(source)
            conversion.commented += commented
            if rewritten is None:
                continue
            python = rewritten
            try:
                tree = ast.parse(python)
            except SyntaxError as error:
                conversion.dropped.append((number, error.lineno or 0, error.msg))
                continue
        except (ValueError, RecursionError, MemoryError) as error:
            conversion.dropped.append((number, 0, str(error)[:200]))
            continue
        chunks += _chunks(number, python, tree, classifier)
    conversion.moved = sum(chunk.kind == "demo" for chunk in chunks)
    conversion.removed = sorted(set(classifier.removed_modules))
    for with_main in (True, False):
        source = _assemble(name, chunks, with_main)
        try:
            ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        conversion.source = source
        if not with_main:
            conversion.moved = 0
        return conversion
    raise NotebookError("the code cells do not form a valid module")
