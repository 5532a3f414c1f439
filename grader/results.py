"""Results as plain data: one schema for the gradebook, the reports and the exports.

Everything here serialises to JSON with ``to_dict`` and back with ``from_dict``; no
student object is ever part of a result.

Format versions (``FORMAT_VERSION``):

1. first version.
"""

from __future__ import annotations

import base64
import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, ClassVar

from grader.i18n import Bilingual

FORMAT_VERSION = 1

#: Per-test statuses, from best to worst for reporting purposes.
TEST_STATUSES = ("passed", "failed", "not_implemented", "missing", "timeout", "memory",
                 "crashed", "forbidden", "skipped", "error")
#: Per-job statuses: the export's status column.
JOB_STATUSES = ("graded", "missing", "error")


def round_points(value: float) -> float:
    """Points are kept to 1/10000: exact enough, and identical run to run."""
    return round(value + 0.0, 4)


def sum_points(values: list[float] | tuple[float, ...]) -> float:
    return round_points(math.fsum(values))


@dataclass(frozen=True)
class TestOutcome:
    """The result of one manifest test (all parametrized cases folded together)."""

    __test__ = False  # not a pytest test class, despite the name

    test_id: str
    title: Bilingual
    hidden: bool
    points: float
    earned: float
    status: str
    message: Bilingual
    details: str = ""
    """Technical detail (the student's own traceback, the offending line), not translated."""
    diagnoses: tuple[str, ...] = ()
    """Ids of catalogued mistakes the student's output matched."""
    notes: tuple[dict, ...] = ()
    """Observations, e.g. ``{"key": "convention", "value": "mean", "message": {...}}``."""
    output: str = ""
    duration: float = 0.0
    cases: int = 1
    cases_passed: int = 0
    artifacts: tuple[dict, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TestOutcome:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for key in ("diagnoses", "notes", "artifacts"):
            values[key] = tuple(values.get(key, ()))
        return cls(**values)


@dataclass(frozen=True)
class JobSpec:
    """What the judge needs to grade one (student, assignment): plain data, shippable."""

    assignment: str
    student_id: str
    files: dict[str, bytes]
    """File name (under scripts/) -> content, as ingest normalised it."""
    modules: dict[str, str | None]
    """Logical module name -> importable module name, None when the file is missing."""
    submission_hash: str
    course_root: str
    warnings: tuple[dict, ...] = ()
    submitted_at: str | None = None
    isolation: str = "auto"
    missing_everything: bool = False
    extra: dict = field(default_factory=dict)
    """Facts from ingest copied into ``JobResult.extra`` for the report and exports.

    Keys in use: ``discussion`` (the written 考察, for manual grading, never scored),
    ``student_name`` (from the roster), ``source`` (how the files arrived),
    ``late`` (deadline, submission time, days late, penalty).
    """

    def to_dict(self) -> dict:
        data = asdict(self)
        data["files"] = {name: base64.b64encode(content).decode()
                         for name, content in self.files.items()}
        data["format"] = FORMAT_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JobSpec:
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["files"] = {name: base64.b64decode(content)
                           for name, content in data["files"].items()}
        values["warnings"] = tuple(data.get("warnings", ()))
        values["extra"] = dict(data.get("extra") or {})
        return cls(**values)


@dataclass(frozen=True)
class JobResult:
    """One graded (student, assignment)."""

    FORMAT_VERSION: ClassVar[int] = FORMAT_VERSION

    assignment: str
    student_id: str
    status: str
    """``graded`` (tests ran, whatever the score), ``missing`` or ``error`` (grader fault)."""
    points: float
    max_points: float
    submission_hash: str
    suite_hash: str
    isolation: str = ""
    started_at: str = ""
    duration: float = 0.0
    outcomes: tuple[TestOutcome, ...] = ()
    warnings: tuple[dict, ...] = ()
    """Ingest notes: ``{"id": ..., "message": {"ja":..., "en":...}, "file": ...}``."""
    error: str = ""
    """For status ``error``: what went wrong in the grader."""
    output: str = ""
    """Student output not attributed to any test."""
    files: tuple[str, ...] = ()
    submitted_at: str | None = None
    events: tuple[dict, ...] = ()
    """Worker events (timeouts, crashes, restarts), for the instructor."""
    extra: dict = field(default_factory=dict)
    """Facts from ingest (see ``JobSpec.extra``)."""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["format"] = FORMAT_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JobResult:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["outcomes"] = tuple(TestOutcome.from_dict(o) for o in data.get("outcomes", ()))
        for key in ("warnings", "files", "events"):
            values[key] = tuple(values.get(key, ()))
        return cls(**values)

    @classmethod
    def crashed(cls, spec: JobSpec, suite_hash: str, error: str, max_points: float = 0.0,
                outcomes: tuple[TestOutcome, ...] = ()) -> JobResult:
        """A job the grader could not finish: no score, the error kept for the record."""
        return cls(assignment=spec.assignment, student_id=spec.student_id, status="error",
                   points=0.0, max_points=max_points, submission_hash=spec.submission_hash,
                   suite_hash=suite_hash, error=error, outcomes=outcomes,
                   warnings=spec.warnings, files=tuple(sorted(spec.files)),
                   submitted_at=spec.submitted_at, extra=dict(spec.extra))

    def with_changes(self, **changes: Any) -> JobResult:
        return replace(self, **changes)

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0
