"""The final grade of one (student, assignment), in one place for reports and every export.

    final = test points - late penalty (unless waived) + manual adjustment points

clamped at 0 (a penalty never makes a grade negative) and kept to 1/10000 like test
points. The raw test points stay visible beside it. A job the grader could not finish
(status ``error``) has no final grade (``None``): exports leave it blank rather than
report a zero the student did not earn. A missing submission scores 0 test points, and
adjustments still apply to it (work handed in another way).

The late penalty comes from ingest, ``JobResult.facts.late.penalty`` (points).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from grader.adjustments import Adjustment
from grader.results import JobResult, JobStatus, Lateness, round_points, sum_points


@dataclass(frozen=True)
class Grade:
    """What a student gets for one assignment, with every term of the sum."""

    student_id: str
    assignment: str
    status: JobStatus
    points: float
    """Raw test points."""
    max_points: float
    late_penalty: float
    """The penalty ingest computed (0 when on time), whether or not it is waived."""
    penalty_waived: bool
    adjustment: float
    """Sum of the manual adjustments' points."""
    final: float | None
    adjustments: tuple[Adjustment, ...] = ()
    late: Lateness | None = None
    """The deadline as ingest applied it, when the assignment has one."""

    @property
    def applied_penalty(self) -> float:
        return 0.0 if self.penalty_waived else self.late_penalty

    @property
    def changed(self) -> bool:
        """True when the final grade differs from the raw test points."""
        return self.final is not None and self.final != self.points


def grade(result: JobResult, adjustments: Iterable[Adjustment] = ()) -> Grade:
    """The grade of ``result`` given the adjustments in force (others are ignored)."""
    own = tuple(a for a in adjustments
                if a.student_id == result.student_id and a.assignment == result.assignment)
    late = result.facts.late
    penalty = late.penalty if late is not None else 0.0
    waived = any(a.waive_late_penalty for a in own)
    bonus = sum_points([a.points for a in own])
    final: float | None = None
    if result.status != JobStatus.ERROR:
        final = max(0.0, round_points(result.points - (0.0 if waived else penalty) + bonus))
    return Grade(student_id=result.student_id, assignment=result.assignment,
                 status=result.status, points=result.points, max_points=result.max_points,
                 late_penalty=penalty, penalty_waived=waived and penalty > 0,
                 adjustment=bonus, final=final, adjustments=own, late=late)


def grades(results: Iterable[JobResult], adjustments: Iterable[Adjustment] = ()
           ) -> dict[tuple[str, str], Grade]:
    """Every result's grade, keyed by (student_id, assignment)."""
    by_pair: dict[tuple[str, str], list[Adjustment]] = defaultdict(list)
    for adjustment in adjustments:
        by_pair[(adjustment.student_id, adjustment.assignment)].append(adjustment)
    return {(r.student_id, r.assignment): grade(r, by_pair[(r.student_id, r.assignment)])
            for r in results}


def total(grades_of_one_student: Iterable[Grade]) -> float:
    """Sum of final grades (a job with no final grade counts 0)."""
    return sum_points([g.final or 0.0 for g in grades_of_one_student])
