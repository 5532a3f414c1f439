"""Results made up for the report's tests and its benchmark (no grading involved).

``result(...)`` builds one JobResult from a few outcomes; ``synthetic_class(n)`` builds a
class shaped like the real 02_perceptron one (30 tests, three loss curves per student,
the student's own script figure as a PNG), every student's curves different.
"""

from __future__ import annotations

import io
import math
import random
from functools import cache

from grader.i18n import same
from grader.results import IngestFacts, JobResult, JobStatus, Status, TestOutcome, sum_points


def outcome(test_id: str, status: str = "passed", points: float = 1.0, *,
            hidden: bool = False, message: str = "", details: str = "", output: str = "",
            diagnoses: tuple[str, ...] = (), artifacts: tuple[dict, ...] = (),
            notes: tuple[dict, ...] = ()) -> TestOutcome:
    return TestOutcome(test_id=test_id, title={"ja": f"テスト {test_id}", "en": f"test {test_id}"},
                       hidden=hidden, points=points,
                       earned=points if status == Status.PASSED else 0.0,
                       status=Status(status),
                       message=same(message) if message else {"ja": "", "en": ""},
                       details=details, output=output, diagnoses=diagnoses,
                       artifacts=artifacts, notes=notes)


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
            artifacts: tuple[dict, ...] = ()
            if index in (12, 21, 29):
                artifacts = (curve(f"curve{index}", student, reference),)
            if index == 14:
                artifacts = ({"kind": "image", "name": "gradient_method.png",
                              "png_base64": script_png(),
                              "title": {"ja": "あなたのスクリプトの図",
                                        "en": "Your script's figure"}},)
            outcomes.append(outcome(
                f"test_{'hidden_' if hidden else ''}{index:02d}.py::test_case",
                "failed" if failed else "passed", 2.0 if index % 4 == 0 else 1.0,
                hidden=hidden,
                message="期待と違います: 最大誤差 0.62 (位置 (1, 1))" if failed else "",
                diagnoses=("pc_update_sign",) if failed and index == 21 else (),
                artifacts=artifacts, output="epoch 1 loss 0.5\n" if index == 14 else ""))
        results.append(result(student_id, tuple(outcomes), assignment=assignment,
                              facts=IngestFacts(student_name=f"学生 {number}")))
    return results
