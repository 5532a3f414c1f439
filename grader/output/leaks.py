"""Nothing a student can see may show a hidden test: a scan of every page before it goes out.

Hidden tests feed the student's code inputs the student must not learn, compare with
values the student must not see, and capture what the student's code printed about them.
The report already keeps these out of the student's page (``TestOutcome.hidden_detail``,
hidden output and details are instructor-only); this module checks that it worked, so a
bug or a careless message in a hidden test cannot publish them. A page is refused when
its visible text contains:

* a *literal* of a hidden test's source that the public material does not also contain:
  a number with three or more significant digits (``1001``, ``0.123``), an array of three
  or more numbers written out in the source, a string that is data (assigned to a name or
  held in a container; not a message, a label passed to a call, a docstring or an
  identifier);
* a path of the grading machine (the course folder, the Python installation, ``/tmp``
  folders of the grader);
* a line of output a hidden test captured from the student's code, or a line of what only
  the instructor sees of a hidden test (``hidden_detail``).

"Visible text" is what a reader sees: text nodes and the ``title``/``alt`` attributes, not
markup, inline SVG geometry, scripts, styles or ``data:`` URIs. Public material is the
kit (public tests, skeletons, TASK files), the manifest and the message catalogues.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from grader.manifest import Assignment
from grader.results import JobResult

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
#: Strings shorter than this are never secrets (keys, axis names, short labels).
MIN_STRING = 8
#: Call names whose string arguments are messages or labels meant to be shown.
_MESSAGE_CALLS = {"expect", "label", "CheckFailure", "note", "curve", "image", "recognised",
                  "expect_array", "expect_number", "expect_relative", "expect_length",
                  "expect_tuple", "expect_gradients", "resolve", "find_attribute",
                  "backward_dx", "as_array", "as_number", "call_keeping_arguments",
                  "from_catalogue", "Mistake", "fail", "skip", "parametrize", "get", "pop",
                  "startswith", "endswith", "format", "join", "split", "replace"}


@dataclass(frozen=True)
class Secret:
    """Something of a hidden test that must not appear on a student's page."""

    text: str
    """As it would be shown (a number is matched by value, see :func:`scan`)."""
    origin: str
    """Where it comes from, for the instructor: ``test_hidden_x.py:12``, ``output of ...``."""
    kind: str
    """``number``, ``array``, ``string``, ``path``, ``output`` or ``instructor-only``."""


@dataclass(frozen=True)
class Leak:
    page: str
    secret: Secret

    def __str__(self) -> str:
        return f"{self.page}: {self.secret.kind} {self.secret.text!r} ({self.secret.origin})"


# ----------------------------------------------------------------------------- sources


def significant_digits(number: str) -> int:
    """Of the value as Python prints it: ``30.0`` has one (it is 30), ``0.125`` three."""
    try:
        text = f"{float(number):.15g}"
    except ValueError:
        return 0
    mantissa = re.split(r"[eE]", text.lstrip("+-"))[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return len(digits)


def _value(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and \
            not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _value(node.operand)
        return -inner if inner is not None else None
    return None


def _source_text(node: ast.AST, source: str) -> str:
    return ast.get_source_segment(source, node) or ""


class _Literals(ast.NodeVisitor):
    """Numbers, arrays and data strings written in a test file."""

    def __init__(self, source: str, name: str) -> None:
        self.source = source
        self.name = name
        self.found: list[Secret] = []
        self.shown: set[int] = set()
        """ids of string nodes in message positions (or docstrings): not secrets."""

    def visit_Module(self, node: ast.Module) -> None:
        self._skip_docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._skip_docstring(node)
        self.generic_visit(node)

    def _skip_docstring(self, node: ast.Module | ast.FunctionDef) -> None:
        if node.body and isinstance(node.body[0], ast.Expr) and isinstance(
                node.body[0].value, ast.Constant):
            self.shown.add(id(node.body[0].value))

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else \
            function.id if isinstance(function, ast.Name) else ""
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            if name in _MESSAGE_CALLS:
                for inner in ast.walk(argument):
                    self.shown.add(id(inner))
            elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                self.shown.add(id(argument))  # a label or a key passed along, not data
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:  # f-strings are messages
        for inner in ast.walk(node):
            self.shown.add(id(inner))

    def visit_Dict(self, node: ast.Dict) -> None:  # {"ja": ..., "en": ...} messages
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        if keys & {"ja", "en"}:
            for inner in ast.walk(node):
                self.shown.add(id(inner))
        self.generic_visit(node)

    def visit_List(self, node: ast.List | ast.Tuple) -> None:
        values = [_value(element) for element in node.elts]
        if len(values) >= 3 and all(v is not None for v in values):
            self.found.append(Secret(_source_text(node, self.source),
                                     f"{self.name}:{node.lineno}", "array"))
        self.generic_visit(node)

    visit_Tuple = visit_List

    def visit_Constant(self, node: ast.Constant) -> None:
        where = f"{self.name}:{node.lineno}"
        if type(node.value) in (int, float):
            text = _source_text(node, self.source) or repr(node.value)
            if significant_digits(text) >= 3:
                self.found.append(Secret(text, where, "number"))
        elif isinstance(node.value, str) and id(node) not in self.shown:
            text = node.value.strip()
            # Data, not prose: a label kept in a variable has spaces ("dx = dout * y").
            if len(text) >= MIN_STRING and not text.isidentifier() and not re.search(
                    r"\s", text):
                self.found.append(Secret(text, where, "string"))


def literals(path: Path) -> list[Secret]:
    source = path.read_text(encoding="utf-8")
    visitor = _Literals(source, path.name)
    visitor.visit(ast.parse(source, filename=str(path)))
    return visitor.found


def _public_text(assignment: Assignment) -> str:
    paths = assignment.paths
    texts = [paths.manifest.read_text(encoding="utf-8")]
    for folder in (paths.public_tests, paths.scripts, paths.kit):
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8", errors="replace")
                      for p in sorted(folder.glob("*")) if p.is_file()
                      and p.suffix in (".py", ".md", ".toml")]
    catalogues = Path(__file__).resolve().parent.parent / "messages"
    texts += [p.read_text(encoding="utf-8") for p in sorted(catalogues.glob("*.toml"))]
    return "\n".join(texts)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?")


def _numbers_in(text: str) -> set[float]:
    """The numbers written in ``text``, not counting dates and times (a year is no datum)."""
    found = set()
    for token in _NUMBER.findall(_DATE.sub(" ", text)):
        try:
            found.add(float(token))
        except ValueError:
            continue
    return found


def hidden_secrets(assignment: Assignment) -> list[Secret]:
    """The literals of an assignment's hidden tests that the public material lacks."""
    public = _public_text(assignment)
    public_numbers = _numbers_in(public)
    secrets = []
    for path in sorted(assignment.paths.hidden_tests.glob("test_*.py")):
        for secret in literals(path):
            if secret.kind == "number":
                if abs(float(secret.text)) not in {abs(v) for v in public_numbers}:
                    secrets.append(secret)
            elif secret.kind == "array":
                inner = secret.text.strip("[]()")
                if inner not in public:
                    secrets.append(secret)
            elif secret.text not in public:
                secrets.append(secret)
    return secrets


def machine_paths(course_root: Path) -> list[Secret]:
    """Paths of the grading machine that a page must never show."""
    roots = {str(course_root.resolve()), str(course_root), sys.prefix, sys.base_prefix,
             str(Path(sys.executable).resolve().parent.parent)}
    found = [Secret(root, "the grading machine", "path") for root in sorted(roots)
             if len(root) > 4]
    found += [Secret("/tmp/nngrader", "the grading machine", "path")]
    return found


def result_secrets(result: JobResult, min_line: int = 12) -> list[Secret]:
    """What hidden tests captured from this student's code, and what only the instructor
    sees of them, except what the student may see anyway (the same line printed during a
    public test, or in a public test's message)."""
    public = {line.strip() for outcome in result.outcomes if not outcome.hidden
              for text in (outcome.output, *outcome.message.values())
              for line in text.splitlines()}
    secrets = []
    for outcome in result.outcomes:
        if not outcome.hidden:
            continue
        for line in outcome.output.splitlines():
            if len(line.strip()) >= min_line and line.strip() not in public:
                secrets.append(Secret(line.strip(), f"output of {outcome.test_id}", "output"))
        for text in outcome.hidden_detail.values():
            for line in text.splitlines():
                if len(line.strip()) >= min_line and line.strip() not in public:
                    secrets.append(Secret(line.strip(), f"{outcome.test_id} (instructor only)",
                                          "instructor-only"))
    return secrets


# ----------------------------------------------------------------------------- pages


class _Visible(HTMLParser):
    """The text a reader of the page sees."""

    SKIP = {"script", "style", "svg"}
    KEEP_IN_SVG = {"text", "title", "tspan"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        inside = set(self.stack)
        if "script" in inside or "style" in inside:
            return
        if "svg" in inside and not (self.stack and self.stack[-1] in self.KEEP_IN_SVG):
            return
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def scan(page: str, html: str, secrets: Iterable[Secret]) -> list[Leak]:
    """The secrets ``html`` shows (numbers by value, anything else as text)."""
    text = visible_text(html)
    squeezed = re.sub(r"\s+", "", text)
    numbers = _numbers_in(text)
    leaks = []
    for secret in secrets:
        if secret.kind == "number":
            shown = float(secret.text) in numbers
        elif secret.kind == "array":
            shown = re.sub(r"\s+", "", secret.text.strip("[]()")) in squeezed
        else:
            shown = secret.text in text
        if shown:
            leaks.append(Leak(page, secret))
    return leaks


# ----------------------------------------------------------------------------- checking


class PublishRefused(Exception):
    """Pages a student would see show something of a hidden test; nothing was written."""

    def __init__(self, leaks: list[Leak]) -> None:
        self.leaks = leaks
        shown = "\n".join(f"  {leak}" for leak in leaks[:20])
        more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        super().__init__(f"refusing to publish: {len(leaks)} leak(s) of hidden tests\n"
                         f"{shown}{more}")


def find_leaks(pages: dict[str, str], results: list[JobResult], course: object | None,
               label: Callable[[str], str] = str) -> list[Leak]:
    """The leaks in ``pages`` (student id -> HTML a student will see).

    ``course`` (a grader.paths.Course) gives the hidden tests and the machine's paths;
    ``label`` names a page for the message (a published path, a zip member).
    """
    from grader.manifest import ManifestError, load_assignment

    by_assignment: dict[str, list[Secret]] = {}
    common: list[Secret] = []
    if course is not None:
        common = machine_paths(Path(course.root))  # type: ignore[attr-defined]
        for name in sorted({r.assignment for r in results}):
            try:
                by_assignment[name] = hidden_secrets(load_assignment(course, name))  # type: ignore[arg-type]
            except (ManifestError, OSError):
                by_assignment[name] = []
    leaks = []
    for student_id, html in pages.items():
        own = [r for r in results if r.student_id == student_id]
        secrets = list(common)
        for result in own:
            secrets += by_assignment.get(result.assignment, []) + result_secrets(result)
        leaks += scan(label(student_id), html, secrets)
    return leaks
