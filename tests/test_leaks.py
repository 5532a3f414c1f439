"""Hidden means hidden, enforced: publishing refuses pages that show a hidden test.

The scan (grader/output/leaks.py) looks at what a reader sees of every page a student gets
(published folders, the Moodle feedback zip) for literals of the hidden tests' source,
paths of the grading machine, and what hidden tests captured or keep for the instructor.
Every sample class, published in both languages, must pass; a planted leak must not.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, assignments_with_samples
from grader.bench.synthetic import outcome, result
from grader.gradebook import Gradebook
from grader.manifest import load_assignment
from grader.output.leaks import (Secret, find_leaks, hidden_secrets, literals, scan,
                                 significant_digits, visible_text)
from grader.output.publish import student_pages
from grader.output.report.render import load_catalogue
from grader.paths import Course

COURSE = Course(ROOT)


def test_literals_of_a_hidden_test_source(tmp_path: Path) -> None:
    source = tmp_path / "test_hidden_x.py"
    source.write_text('''"""Docstring 12345 is not a secret."""
import numpy as np
from checks import expect, label

X = np.array([[1000, 1001], [-1000, -999]])
W = [0.125, -2.5, 3.75]
NAME = "secret-input-string"
LABEL = "a label kept in a variable"


def test_x(student):
    """Docstrings are not shown."""
    expect(False, "メッセージ 0.999 は表示用", "message 0.999 is shown")
    label("ラベル", "a label that is shown")
    student("m").f(X, 0.5)
''', encoding="utf-8")
    found = {(s.kind, s.text) for s in literals(source)}
    assert ("number", "1001") in found and ("number", "999") in found
    assert ("number", "0.125") in found and ("number", "3.75") in found
    assert ("array", "[0.125, -2.5, 3.75]") in found
    assert ("string", "secret-input-string") in found
    assert not any("shown" in text or "12345" in text for _, text in found)
    assert ("number", "0.5") not in found  # one significant digit
    assert not any("label kept" in text for _, text in found)
    assert significant_digits("1000") == 1 and significant_digits("0.0123") == 3
    assert significant_digits("30.0") == 1 and significant_digits("1001") == 4


def test_visible_text_skips_markup_geometry_and_data() -> None:
    html = ('<html><head><style>.a{width:1001px}</style><script>var x=1001</script></head>'
            '<body><p title="t 777">shown 555</p><svg><path d="M 1001 999"/><text>axis 333'
            '</text></svg><img src="data:image/png;base64,MTAwMQ==" alt="fig 444"></body>'
            '</html>')
    text = visible_text(html)
    for shown in ("777", "555", "333", "444"):
        assert shown in text
    assert "1001" not in text and "999" not in text


def test_numbers_match_by_value_and_arrays_without_spaces() -> None:
    secrets = [Secret("1001", "t.py:1", "number"), Secret("[1.5, 2.5, 3.5]", "t.py:2", "array")]
    assert scan("p", "<p>got 1001.0</p>", secrets)
    assert scan("p", "<p>x = [1.5,2.5, 3.5]</p>", secrets)
    assert not scan("p", "<p>got 10010 and 1.5, 2.5</p>", secrets)
    assert not scan("p", "<p>graded 2026-11-30T10:01</p>", [Secret("2026", "t.py:3", "number")])


@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_hidden_tests_have_secrets_the_public_kit_lacks(assignment: str) -> None:
    secrets = hidden_secrets(load_assignment(COURSE, assignment))
    public = (ROOT / "assignments" / assignment / "tests")
    for secret in secrets:
        if secret.kind == "string":
            for path in public.glob("test_*.py"):
                assert secret.text not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("assignment", assignments_with_samples())
def test_every_sample_class_publishes_without_a_leak(graded_classes: dict, assignment: str,
                                                     lang: str) -> None:
    """The samples trigger the hidden tests' messages (every catalogued mistake, crashes,
    time-outs, syntax errors); published in both languages, no page shows a hidden test."""
    results = list(graded_classes[assignment].values())
    pages = student_pages(results, lang, catalogue=load_catalogue(COURSE, {assignment}))
    leaks = find_leaks(pages, results, COURSE)
    assert not leaks, "\n".join(str(leak) for leak in leaks[:20])


def _planted(kind: str):
    hidden_source = ROOT / "reference" / "02_perceptron" / "tests"
    number = next(s.text for path in sorted(hidden_source.glob("test_*.py"))
                  for s in literals(path) if s.kind == "number"
                  and s in hidden_secrets(load_assignment(COURSE, "02_perceptron")))
    texts = {"literal": f"your output was {number}",
             "path": f"see {ROOT}/reference/02_perceptron/solution/perceptron.py"}
    leaky = outcome("test_hidden_perceptron.py::test_forward", "failed", hidden=True,
                    message=texts.get(kind, "ok"))
    if kind == "output":
        # A hidden test copying what it captured into its message (the report keeps
        # captured output of hidden tests for the instructor; the message is shown).
        leaky = outcome("test_hidden_perceptron.py::test_forward", "failed", hidden=True,
                        message="printed: the hidden inputs were x = 0.91",
                        output="the hidden inputs were x = 0.91\n")
        return result("s1", (leaky,), assignment="02_perceptron"), ""
    return result("s1", (leaky,), assignment="02_perceptron"), number


@pytest.mark.parametrize("kind", ["literal", "path", "output"])
def test_a_planted_leak_is_found(kind: str) -> None:
    planted, _ = _planted(kind)
    pages = student_pages([planted], "en")
    leaks = find_leaks(pages, [planted], COURSE)
    assert leaks and {leak.secret.kind for leak in leaks} & {
        "literal": {"number", "array"}, "path": {"path"}, "output": {"output"}}[kind]


def test_publish_refuses_a_leak_and_writes_nothing(tmp_path: Path) -> None:
    planted, number = _planted("literal")
    db = tmp_path / "gradebook.sqlite"
    with Gradebook(db) as book:
        book.record(planted)
    out = tmp_path / "publish"
    done = subprocess.run([sys.executable, "-m", "grader.cli", "publish", "--course", str(ROOT),
                           "--db", str(db), "--out", str(out), "--lang", "en"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "refusing to publish" in done.stderr and number in done.stderr
    assert "report.html (s1)" in done.stderr
    assert not out.exists() or not any(out.iterdir())
    feedback = subprocess.run(
        [sys.executable, "-m", "grader.cli", "export", "--course", str(ROOT), "--db", str(db),
         "--format", "moodle-feedback", "--out", str(tmp_path / "feedback.zip")],
        capture_output=True, text=True, timeout=120)
    assert feedback.returncode == 1 and "refusing to publish" in feedback.stderr
    assert not (tmp_path / "feedback.zip").exists()
