"""A warm judge keeps each suite configured and collected (grader/judge/suite.py): it
must grade exactly as one ``pytest.main`` per job does, whatever the order of students."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_GRADE = r"""
import json, sys
from pathlib import Path
from grader import ingest
from grader.judge import job
from grader.manifest import load_assignment
from grader.paths import Course

course = Course(Path(sys.argv[1]))
assignment = load_assignment(course, "02_perceptron")
wanted = json.loads(sys.argv[3])
by_name = {s.student_id: s for s in ingest.discover(assignment, None)}
if sys.argv[2].startswith("kept"):
    job.keep_suites()
if sys.argv[2] == "kept-other-pytest":  # a pytest whose internals moved
    from grader.judge import suite
    def moved(self, args):
        raise AttributeError("module '_pytest.config' has no attribute '_prepareconfig'")
    suite.KeptSuite.__init__ = moved
graded = []
for name in wanted:
    result = job.run_job(by_name[name].job_spec(str(course.root), "auto"))
    graded.append([name, result.status, result.points,
                   [[o.test_id, o.status, o.earned, o.message, list(o.diagnoses),
                     list(o.hints), [n.get("key") for n in o.notes]] for o in result.outcomes]])
job.close_spawners()
import gc
gc.collect()
kept_reports = sum(type(o).__name__ == "TestReport" for o in gc.get_objects())
print(json.dumps({"graded": graded, "reports": kept_reports}))
"""


def _grade(mode: str, students: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _GRADE, str(ROOT), mode, json.dumps(students)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_a_kept_suite_grades_like_pytest_main_in_any_order() -> None:
    # A mistake between two correct students, a crash at import and a syntax error: what
    # one run leaves behind (fixtures, records, a dead worker) must not reach the next.
    students = ["correct_sum", "mistake_update_sign", "exit_at_import", "correct_mean",
                "syntax_error", "correct_sum"]
    kept_run, fresh_run = _grade("kept", students), _grade("fresh", students)
    kept, fresh = kept_run["graded"], fresh_run["graded"]
    assert kept == fresh
    # The runs leave no reports behind (the terminal reporter kept all of them).
    assert kept_run["reports"] < 10  # six jobs of 02 make 6 x 132
    assert kept[0] == kept[-1] and kept[0][2] == 44
    assert kept[1][2] < 44 and kept[2][2] < 44 and kept[4][2] < 44


def test_without_pytest_internals_a_warm_judge_falls_back_to_pytest_main() -> None:
    students = ["correct_sum", "mistake_update_sign"]
    assert _grade("kept-other-pytest", students)["graded"] == _grade("fresh", students)["graded"]
