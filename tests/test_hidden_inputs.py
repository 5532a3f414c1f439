"""Hidden tests never show their inputs: not even through the student's own messages.

A student's exception text is chosen by the student's code, which receives the hidden
inputs; so in a hidden test the message keeps where and what was raised and the text
with its numbers masked (shapes, dtypes and names stay: they help the student fix it),
and the whole text stays in the details for the instructor only.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT
from grader.gradebook import Gradebook
from grader.paths import Course
from grader.output.publish import publish
from grader.runner import grade

LEAKY = '''
def gradients(x, y, t):
    raise ValueError("LEAK " + repr([float(v) for v in x]))
'''


def test_student_text_withheld_in_hidden_tests(tmp_path: Path) -> None:
    student = tmp_path / "class" / "leaky"
    shutil.copytree(ROOT / "submissions" / "02_perceptron" / "correct_sum", student)
    (student / "scripts" / "ex_02_correct_sum.py").rename(student / "scripts" / "ex_02_leaky.py")
    script = student / "scripts" / "gradient_method.py"
    script.write_text(script.read_text("utf-8") + LEAKY, "utf-8")
    db = tmp_path / "book.sqlite"
    grade(Course(ROOT), ["02_perceptron"], db_path=db, submissions=tmp_path / "class",
          progress=False)
    with Gradebook(db) as book:
        [result] = book.current()
    by_id = {o.test_id: o for o in result.outcomes}
    public = by_id["test_gradient_method.py::test_gradients"]
    hidden = by_id["test_hidden_gradient_method.py::test_gradients"]
    assert "LEAK [1.0, 2.0]" in public.message["en"]            # public inputs: shown
    for lang in ("ja", "en"):
        assert "LEAK […, …" in hidden.message[lang]                 # masked, not hidden
        assert not re.search(r"\d\.\d", hidden.message[lang])       # no value of x
    assert "ValueError" in hidden.message["en"] and "gradient_method.py line" in \
        hidden.message["en"]
    assert "LEAK" in hidden.details                                # for the instructor
    out = tmp_path / "publish"
    publish([result], out, b"k" * 32, lang="en")
    [page] = [p.read_text("utf-8") for p in out.rglob("*.html")]
    hidden_text = hidden.details.rsplit("ValueError: ", 1)[1]
    assert hidden_text.startswith("LEAK [") and hidden_text not in page
    assert "LEAK [1.0, 2.0]" in page
