"""Japanese pages are in Japanese: no English word in what a reader sees.

The five graded sample classes are rendered in Japanese (the dashboard, every student
page, and the published pages of the student audience) and every visible text is read
as a browser would: text nodes and the ``title``, ``alt``, ``aria-label`` and
``placeholder`` attributes, but nothing inside ``<code>``, ``<pre>``, ``<kbd>``,
``<samp>``, ``<script>`` or ``<style>``, nor inside an element marked ``translate="no"``
(names and free text people typed: student names, adjustment reasons).

A *word* is a run of ASCII letters (with ``_``, digits and ``.`` inside it). It is
**English** unless it is

* shaped like code: it holds ``_``, a digit or a ``.`` (``g_w``, ``x0``, ``perceptron.py``,
  ``np.std``), it is followed by ``(``, ``[`` or ``=`` (``fit(...)``, ``sys.exit()``,
  ``rtol=1e-07``), it is in angle brackets or is an index (``<module>``, ``x[idx]``), it
  is ``True``, ``False`` or ``None``, it has a capital after its
  first letter (``NotImplementedError``, ``CSV``, ``kB``), or it is a single letter
  (``x``, ``E``, ``N``);
* a code identifier of the course: a name in the kits' skeletons or the reference
  solutions (``predict``, ``backward``, ``Perceptron``), a Python builtin or a numpy name;
* a name we keep as it is (:data:`KEPT`: ``Moodle``, ``Gradescope``, ``zip`` ...), or a
  student id (the sample students are named by what they get wrong: ``correct``).

Two more rules catch what those exemptions would let through:

* in a *label* (an SVG text, a legend entry, a table or list heading, a button, a
  ``<summary>``, a heading, a caption, a ``title`` attribute) that has no Japanese
  character, identifiers count as English too: an axis label ``loss`` or ``iteration``
  is an English label even though ``loss`` is also a variable name;
* a bracketed word in plain text (``[max]``, not an index such as ``x[idx]``) is a test
  case label left outside ``<code>``.

So ``with your Perceptron (sum or mean convention) の値が期待と違います`` fails on
``with``, ``your``, ``or`` and ``convention``, and ``[max] Scaler(...)`` on ``[max]``.

Each finding is attributed: to the **tests** when the text it is in comes from a test
(a test's message, title, note, figure title, a catalogued mistake's text, the
assignment's title), otherwise to the **report** itself. The report's own words must be
Japanese (``test_the_report_writes_japanese``); the tests' messages are being made
bilingual by their authors, and ``test_test_messages_are_japanese`` lists what is left
(hidden and public tests) until they are.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from collections import defaultdict
from html.parser import HTMLParser

import numpy
import pytest

from conftest import ROOT
from grader.output.publish import publish
from grader.output.report.render import load_catalogue, render_reports
from grader.paths import Course
from grader.results import JobResult

COURSE = ("01_numerical_gradient", "02_perceptron", "03_backprop",
          "04_function_approximation", "05_ct_classifier")
SKIPPED = {"code", "pre", "kbd", "samp", "script", "style"}
LABELS = {"text", "tspan", "title", "li", "th", "dt", "button", "summary", "h1", "h2", "h3",
          "h4", "h5", "h6", "caption", "figcaption", "label", "legend", "option"}
ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
KEPT = {"Moodle", "Canvas", "Gradescope", "zip", "nn-grader", "numpy", "Python", "pytest",
        "git", "Colab", "Shift-JIS", "bubblewrap", "landlock", "seccomp",
        # names of methods and functions the course teaches under their own names
        "He", "Xavier", "one-hot", "ReLU", "Min-Max", "MNIST", "SGD", "Adam"}
#: A slide heading quoted as the slide writes it (「機械学習（誤差逆伝播法backpropagation）」),
#: and Python's own words after an exception's name (``ValueError: operands could not be
#: broadcast ...``): quoted, not written by us.
QUOTED = (re.compile(r"「[^」]*」"),
          re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning): [^\n。]*"))
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
BRACKETED = re.compile(r"(?<![\w\])])\[[A-Za-z_][\w\-]*\]")
"""``[max]`` where it is not an index (``x[idx]`` is code)."""
CASE = re.compile(r"^\[[^\]\n]+\] ")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def course_identifiers() -> set[str]:
    """Names in the kits' skeletons and the reference solutions, builtins, numpy."""
    names = set(dir(builtins)) | set(dir(numpy)) | set(dir(numpy.ndarray))
    files = [*ROOT.glob("assignments/*/scripts/*.py"), *ROOT.glob("reference/*/solution/*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    return names - (set(keyword.kwlist) - {"True", "False", "None"})


IDENTIFIERS = course_identifiers()


#: Two-letter English words; any other two-letter word is notation (dx, Wv, dz).
SHORT_WORDS = {"in", "or", "of", "to", "is", "by", "at", "on", "an", "as", "be", "it", "no",
               "we", "if", "so", "do", "up", "my", "me", "us", "am", "go"}
#: Python keywords that are not English words in prose (``yield`` in "use yield").
CODE_KEYWORDS = {"yield", "return", "def", "lambda", "elif", "nonlocal", "assert", "del",
                 "import"}


def code_shaped(word: str, before: str, after: str) -> bool:
    return (len(word) == 1 or any(c in word for c in "_.0123456789")
            or (len(word) == 2 and word.lower() not in SHORT_WORDS)
            or word in CODE_KEYWORDS
            or "/" in (before, after)  # dz/dx, E / N
            or after in ("(", "[", "=")  # a call, an index, a keyword argument
            or (before, after) in (("<", ">"), ("[", "]"))  # <module>, an index x[idx]
            or any(c.isupper() for c in word[1:]))


def english_words(text: str, label: bool) -> list[str]:
    """The English words of one visible text (see the module's docstring)."""
    for name in KEPT:
        text = text.replace(name, " ")
    for quoted in QUOTED:
        text = quoted.sub(" ", text)
    found = [match.group(0) for match in BRACKETED.finditer(text)]
    strict = label and not JAPANESE.search(text)
    for match in WORD.finditer(text):
        word = match.group(0)
        before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        if code_shaped(word, before, after):
            continue
        if word in IDENTIFIERS and not strict:
            continue
        found.append(word)
    return found


class VisibleText(HTMLParser):
    """(text, inside a label) of everything visible, as a browser shows it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = self._hidden() or tag in SKIPPED or values.get("translate") == "no"
        if not hidden:
            self.texts += [(value, True) for name, value in attrs
                           if name in ATTRIBUTES and value]
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden():
            label = any(tag in LABELS for tag, _ in self.stack[-2:])
            self.texts.append((" ".join(data.split()), label))


def test_the_rule_catches_what_users_found() -> None:
    message = "train(...) losses with your Perceptron (sum or mean convention) の値が期待と違います"
    assert english_words(message, label=False) == ["with", "your", "or", "convention"]
    assert english_words("[max] Scaler(\"max\").transform(x) の値", label=False) == ["[max]"]
    assert english_words("loss", label=True) == ["loss"]  # an English axis label
    assert english_words("E / N", label=True) == [] and english_words("反復", label=True) == []
    for fine in ("predict はまだ実装されていません (NotImplementedError が発生します)。",
                 "g_w = (2/n) Σ x (y - t) の値が違います", "perceptron.py 23行目",
                 "Gradescope results.json (zip)", "fit で誤差が減る"):
        assert english_words(fine, label=False) == [], fine


def test_findings_are_attributed() -> None:
    page = ('<h2>Total</h2><div class="message">train(...) losses with your model の値が違います'
            '\n位置 (1,): 期待 2、実際 3</div><svg><text>iteration</text><text>E</text></svg>'
            '<p>得点 <code>02 perceptron draft</code> <span translate="no">Hanako Sato</span></p>')
    parser = VisibleText()
    parser.feed(page)
    message = "train(...) losses with your model の値が違います"
    mine, quoted = [], []
    for text, label in parser.texts:
        rest, parts = split_by_origin(text, {message: {"hidden: t.py::test_a"}})
        mine += english_words(rest, label)
        quoted += [(origin, english_words(part, label)) for origin, part in parts]
    assert mine == ["Total", "iteration"]
    assert quoted == [("hidden: t.py::test_a", ["with", "your"])]  # model: an identifier


# ----------------------------------------------------------------------------- pages


@pytest.fixture(scope="module")
def pages(graded_classes: dict, course: Course, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[dict[str, str], list[JobResult], object]:
    """Every page of the sample classes in Japanese: instructor and student audience."""
    results = [r for name in COURSE for r in graded_classes[name].values()]
    catalogue = load_catalogue(course, {r.assignment for r in results})
    folder = tmp_path_factory.mktemp("ja")
    render_reports(results, folder / "reports", "ja", catalogue=catalogue, downloads=True)
    published = publish(results, folder / "publish", b"k" * 32, "ja", catalogue=catalogue)
    found = {str(p.relative_to(folder)): p.read_text("utf-8")
             for p in [folder / "reports" / "index.html",
                       *sorted((folder / "reports" / "students").glob("*.html")),
                       *sorted((folder / "reports" / "discussion").glob("*/*.html"))]}
    assert any("/discussion/" in page for page in found)  # the 考察 pages are checked too
    found.update({f"published/{p.student_id}": p.path.read_text("utf-8") for p in published})
    return found, results, catalogue


Sources = dict[str, set[str]]
"""Text a test wrote (Japanese, whitespace folded) -> where it is from
(``hidden: <test id>``, ``public: <test id>``, ``catalogue: ...``, ``manifest: ...``)."""


def fold(text: str) -> str:
    return " ".join(text.split())


def sources_of(results: list[JobResult], catalogue: object) -> tuple[Sources, dict[str, Sources]]:
    """(what any page may quote: titles and catalogued mistakes, per student: their tests'
    messages, notes and figure labels)."""
    common: Sources = defaultdict(set)
    own: dict[str, Sources] = defaultdict(lambda: defaultdict(set))
    for result in results:
        for outcome in result.outcomes:
            origin = f"{'hidden' if outcome.hidden else 'public'}: {outcome.test_id}"
            if outcome.title.get("ja"):
                common[fold(outcome.title["ja"])].add(origin)
            texts = [outcome.message, outcome.hidden_detail,
                     *(note.get("message") for note in outcome.notes if isinstance(note, dict)),
                     *(artifact.get("title") for artifact in outcome.artifacts)]
            for text in texts:
                if isinstance(text, dict) and text.get("ja"):
                    own[result.student_id][fold(text["ja"])].add(origin)
                    # The page shows a failed case's label apart from its message.
                    own[result.student_id][fold(CASE.sub("", text["ja"]))].add(origin)
            for artifact in outcome.artifacts:
                for value in (artifact.get("xlabel"), artifact.get("ylabel"),
                              *artifact.get("series", {})):
                    if isinstance(value, str) and value:
                        own[result.student_id][fold(value)].add(origin)
    for name, mistakes in getattr(catalogue, "mistakes", {}).items():
        for mistake, text in mistakes.items():
            common[fold(str(text.get("ja", "")))].add(f"catalogue: {name} {mistake}")
    for name, title in getattr(catalogue, "titles", {}).items():
        common[fold(str(title.get("ja", "")))].add(f"manifest: {name}")
    common.pop("", None)
    return common, own


def split_by_origin(text: str, sources: Sources) -> tuple[str, list[tuple[str, str]]]:
    """(what the report wrote, [(origin, what a test wrote)]) of one visible text."""
    for source, origins in sources.items():
        if text in source:
            return "", [(origin, text) for origin in origins]
    quoted = []
    for source in sorted((s for s in sources if s in text), key=len, reverse=True):
        # Whole words only: a series named "train" is not in a student id "…_train_…".
        pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(source)}(?![A-Za-z0-9_])")
        if pattern.search(text):
            text = pattern.sub(" ", text)
            quoted += [(origin, source) for origin in sources[source]]
    return text, quoted


def attributed(pages: tuple[dict[str, str], list[JobResult], object]
               ) -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    """(report findings: fragment -> pages, test findings: (origin, words) -> pages)."""
    html, results, catalogue = pages
    common, own = sources_of(results, catalogue)
    # Student ids are names, not words (the samples are named by what they get wrong).
    ids = re.compile("|".join(sorted((re.escape(r.student_id) for r in results), key=len,
                                     reverse=True)))
    report: dict[str, set[str]] = defaultdict(set)
    tests: dict[tuple[str, str], set[str]] = defaultdict(set)
    for page, markup in html.items():
        student = page.rsplit("/", 1)[-1].removesuffix(".html")
        sources = {**common, **own.get(student, {})}
        parser = VisibleText()
        parser.feed(markup)
        for text, label in parser.texts:
            mine, quoted = split_by_origin(text, sources)
            words = english_words(ids.sub("b2400000", mine), label)
            if words:
                report[f"{fold(mine)!r} ({' '.join(dict.fromkeys(words))})"].add(page)
            for origin, part in quoted:
                words = english_words(part, label)
                if words:
                    tests[(origin, f"{' '.join(dict.fromkeys(words))} in {part[:120]!r}")
                          ].add(page)
    return report, tests


@pytest.fixture(scope="module")
def found(pages: tuple[dict[str, str], list[JobResult], object]
          ) -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    return attributed(pages)


def test_the_report_writes_japanese(found: tuple[dict, dict]) -> None:
    """Every label, title, heading, badge and note the report writes is Japanese."""
    report, _ = found
    assert not report, "\n".join(f"{fragment} on {len(where)} page(s), e.g. {min(where)}"
                                 for fragment, where in sorted(report.items()))


def test_test_messages_are_japanese(found: tuple[dict, dict]) -> None:
    """What the tests write into Japanese pages (their authors are making it bilingual)."""
    _, tests = found
    lines = sorted(f"{origin}: {words} (e.g. {min(where)})" for (origin, words), where
                   in tests.items())
    assert not lines, f"{len(lines)} English fragment(s) in test messages:\n" + "\n".join(lines)
