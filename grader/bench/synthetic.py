"""Results made up for the report's tests and its benchmark (no grading involved).

``result(...)`` builds one JobResult from a few outcomes; ``synthetic_class(n)`` builds a
class shaped like the real 02_perceptron one (30 tests, three loss curves per student,
one of them with a reference per convention, the student's own script figure as a PNG),
every student's curves different. Some students have what a real class has, by their
number: a syntax error (number % 37 == 5), a module that exits at import (% 41 == 7),
nothing submitted (% 29 == 3), a late submission (% 13 == 4), timeouts (% 31 == 9) and a
forbidden operation (% 53 == 11); the messages are the judge's own (``grader/messages``).
"""

from __future__ import annotations

import io
import math
import random
from functools import cache

from grader import i18n
from grader.i18n import Bilingual, same
from grader.results import (
    IngestFacts,
    JobResult,
    JobStatus,
    Lateness,
    Status,
    TestOutcome,
    sum_points,
)


def outcome(test_id: str, status: str = "passed", points: float = 1.0, *,
            hidden: bool = False, message: str | Bilingual = "", details: str = "",
            output: str = "", diagnoses: tuple[str, ...] = (),
            artifacts: tuple[dict, ...] = (), notes: tuple[dict, ...] = (),
            hints: tuple[str, ...] = (), hidden_detail: Bilingual | None = None,
            cases: int = 1, cases_passed: int | None = None) -> TestOutcome:
    """One test's outcome; ``message`` is the same in both languages unless bilingual."""
    passed = status == Status.PASSED
    return TestOutcome(test_id=test_id, title={"ja": f"テスト {test_id}", "en": f"test {test_id}"},
                       hidden=hidden, points=points, earned=points if passed else 0.0,
                       status=Status(status),
                       message=message if isinstance(message, dict)
                       else same(message) if message else {"ja": "", "en": ""},
                       details=details, output=output, diagnoses=diagnoses,
                       artifacts=artifacts, notes=notes, hints=hints,
                       hidden_detail=hidden_detail or {}, cases=cases,
                       cases_passed=cases if passed and cases_passed is None
                       else cases_passed or 0)


def result(student_id: str, outcomes: tuple[TestOutcome, ...] = (), *,
           assignment: str = "a1", status: str = "graded", facts: IngestFacts | None = None,
           output: str = "", warnings: tuple[dict, ...] = (), error: str = "",
           submitted_at: str | None = "2026-05-01T10:00:00+09:00",
           max_points: float | None = None) -> JobResult:
    return JobResult(
        assignment=assignment, student_id=student_id, status=JobStatus(status),
        points=sum_points([o.earned for o in outcomes]),
        max_points=max_points if max_points is not None else sum_points(
            [o.points for o in outcomes]),
        submission_hash=f"h-{student_id}", suite_hash="suite", isolation="test",
        started_at="2026-05-02T09:00:00+09:00", duration=1.5, outcomes=outcomes,
        warnings=warnings, error=error, output=output, submitted_at=submitted_at,
        facts=facts or IngestFacts())


def curve(name: str, student: list[float], reference: list[float]) -> dict:
    return {"kind": "curve", "name": name, "series": {"student": student,
                                                      "reference": reference},
            "title": {"ja": f"{name} の誤差", "en": f"{name}: loss"},
            "xlabel": "iteration", "ylabel": "E"}


@cache
def script_png() -> str:
    """A figure like the one a student's script saves (base64 PNG), made once."""
    import base64

    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.2), dpi=100)
    left, right = figure.subplots(1, 2)
    xs = [i / 10 for i in range(60)]
    left.plot(xs, [2 * x + 1 + math.sin(7 * x) for x in xs], ".")
    left.plot(xs, [2 * x + 1 for x in xs])
    right.plot([math.exp(-i / 20) for i in range(200)])
    right.set_yscale("log")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def _convention_curve(student: list[float], reference: list[float]) -> dict:
    """A training curve with one reference per accepted convention (sum, mean)."""
    artifact = curve("training", student, reference)
    artifact["series"] = {"student": student, "reference (sum)": reference,
                          "reference (mean)": [value / 4 for value in reference]}
    return artifact


SYNTAX = i18n.message("student.syntax_error_others", file="perceptron.py", line=23,
                      msg="expected ':'")
EXIT_AT_IMPORT = i18n.message("student.system_exit", code="", where=i18n.message(
    "student.at", file="perceptron.py", line=11, function="<module>"))
TIMEOUT = i18n.message("student.timeout", seconds=5, where=i18n.message(
    "student.timeout_where", file="gradient_method.py", line=29, function="fit"))
FORBIDDEN = i18n.message("student.forbidden", message="os.system is not allowed while grading")
CONVENTION = {"key": "convention", "quantity": "gradient", "value": "sum",
              "message": {"ja": "勾配の流儀: 和 (g_w = x.T @ g)",
                          "en": "Gradient convention: sum (g_w = x.T @ g)"}}
WRONG = {"ja": "期待と違います: 最大誤差 0.62 (位置 (1, 1))\n"
               "ヒント: すべての値が期待のちょうど 2 倍です。",
         "en": "Differs from the expected value: largest error 0.62 (at (1, 1))\nHint: Every "
               "value is exactly 2 times the expected one."}


def _special(number: int, index: int, failed: bool) -> tuple[str, Bilingual | None]:
    """The status and message a special student's test gets (None: as drawn)."""
    if number % 37 == 5 and index % 3 == 1:
        return "syntax_error", SYNTAX
    if number % 41 == 7 and index % 3 == 2:
        return "crashed", EXIT_AT_IMPORT
    if number % 31 == 9 and index in (3, 17):
        return "timeout", TIMEOUT
    if number % 53 == 11 and index == 5:
        return "forbidden", FORBIDDEN
    return ("failed" if failed else "passed"), (WRONG if failed else None)


def synthetic_class(students: int = 300, assignment: str = "02_perceptron",
                    seed: int = 0) -> list[JobResult]:
    rng = random.Random(seed)
    reference = [8.0 * math.exp(-i / 4) + 0.1 for i in range(100)]
    results = []
    for number in range(students):
        student_id = f"s{number:05d}"
        rate = rng.uniform(2.0, 8.0)
        diverge = rng.random() < 0.1
        student = [8.0 * (math.exp(i / 9) if diverge else math.exp(-i / rate)) + 0.1
                   for i in range(100)]
        outcomes = []
        for index in range(30):
            hidden = index >= 9
            failed = rng.random() < 0.15 or (diverge and index in (21, 29))
            status, message = _special(number, index, failed)
            artifacts: tuple[dict, ...] = ()
            if index in (12, 29):
                artifacts = (curve(f"curve{index}", student, reference),)
            if index == 21:
                artifacts = (_convention_curve(student, reference),)
            if index == 14:
                artifacts = ({"kind": "image", "name": "gradient_method.png",
                              "png_base64": script_png(),
                              "title": {"ja": "あなたのスクリプトの図",
                                        "en": "Your script's figure"}},)
            outcomes.append(outcome(
                f"test_{'hidden_' if hidden else ''}{index:02d}.py::test_case",
                status, 2.0 if index % 4 == 0 else 1.0, hidden=hidden,
                message=message or "",
                details="    def forward(self, x)\n                        ^"
                if status == "syntax_error" else "",
                diagnoses=("pc_update_sign",) if status == "failed" and index == 21 else (),
                hints=("factor_two",) if status == "failed" and index != 21 else (),
                notes=(CONVENTION,) if index == 20 else (),
                artifacts=artifacts, output="epoch 1 loss 0.5\n" if index == 14 else ""))
        late = None
        if number % 13 == 4:
            late = Lateness(deadline="2026-05-01T00:00:00+09:00",
                            submitted_at="2026-05-02T10:00:00+09:00", days_late=2,
                            penalty=3.9, policy="10%/day")
        facts = IngestFacts(student_name=f"学生 {number}", late=late)
        if number % 29 == 3:
            results.append(result(student_id, assignment=assignment, status="missing",
                                  max_points=sum_points([o.points for o in outcomes]),
                                  facts=facts))
        else:
            results.append(result(student_id, tuple(outcomes), assignment=assignment,
                                  facts=facts))
    return results
