"""Results as plain data: one schema for the gradebook, the reports and the exports.

Everything here serialises to JSON with ``to_dict`` and back with ``from_dict``; no
student object is ever part of a result. Reading checks the ``format`` a result was
written with: an older one is upgraded, a newer one (a gradebook written by a newer
grader) is refused with :class:`ResultFormatError`.

Format versions (``FORMAT_VERSION``):

1. first version; ingest facts in a free-form ``extra`` dict.
2. ingest facts typed (:class:`IngestFacts`, key ``facts``); status ``disk`` (the
   fallback's scratch folder outgrew its limit); per test ``hints`` (recognised kinds of
   difference) and ``hidden_detail`` (what only the instructor sees of a hidden test);
   status ``syntax_error`` (the test's file does not parse).
   Format 1 is read by moving ``extra`` into ``facts``.
"""

from __future__ import annotations

import base64
import math
from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, ClassVar

from grader.errors import UserError
from grader.i18n import Bilingual

FORMAT_VERSION = 2


class ResultFormatError(UserError):
    """A stored result written by a newer grader than this one."""


class Status(StrEnum):
    """What happened to one test, from best to worst (:attr:`severity`).

    A StrEnum: it is stored and compared as the plain string (``"passed"``).
    """

    PASSED = "passed"
    SKIPPED = "skipped"
    """Not run (the job's time was up before it)."""
    FAILED = "failed"
    NOT_IMPLEMENTED = "not_implemented"
    MISSING = "missing"
    SYNTAX_ERROR = "syntax_error"
    """The file the test needs does not parse (one banner on the report, not a message
    per test)."""
    FORBIDDEN = "forbidden"
    MEMORY = "memory"
    DISK = "disk"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    ERROR = "error"
    """The grader's fault, never the student's."""

    @property
    def severity(self) -> int:
        """Rank for folding cases and summaries: the worst case decides."""
        return _SEVERITY[self]


_SEVERITY = {status: rank for rank, status in enumerate(Status)}


class JobStatus(StrEnum):
    """What happened to one (student, assignment) job: the export's status column."""

    GRADED = "graded"
    """The tests ran, whatever the score."""
    MISSING = "missing"
    """Nothing was submitted."""
    ERROR = "error"
    """The grader could not finish (a grader fault; an earlier grade stays current)."""


def round_points(value: float) -> float:
    """Points are kept to 1/10000: exact enough, and identical run to run."""
    return round(value + 0.0, 4)


def sum_points(values: list[float] | tuple[float, ...]) -> float:
    return round_points(math.fsum(values))


def _known_fields(cls: type, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


@dataclass(frozen=True)
class TestOutcome:
    """The result of one manifest test (all parametrized cases folded together)."""

    __test__ = False  # not a pytest test class, despite the name

    test_id: str
    title: Bilingual
    hidden: bool
    points: float
    earned: float
    status: Status
    message: Bilingual
    details: str = ""
    """Technical detail (the student's own traceback, the offending line), not translated."""
    diagnoses: tuple[str, ...] = ()
    """Ids of catalogued mistakes the student's output matched."""
    hints: tuple[str, ...] = ()
    """Ids of recognised kinds of difference (a factor N, a transpose...; see checks.HINTS)
    named in the message when no catalogued mistake matched."""
    hidden_detail: Bilingual = field(default_factory=dict)
    """For a hidden test: what only the instructor sees (expected and actual values, the
    full text of the student's exception); the student's page never shows it."""
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
        values = _known_fields(cls, data)
        values["status"] = Status(values["status"])
        for key in ("diagnoses", "hints", "notes", "artifacts"):
            values[key] = tuple(values.get(key, ()))
        values["hidden_detail"] = dict(values.get("hidden_detail") or {})
        return cls(**values)


@dataclass(frozen=True)
class Lateness:
    """The deadline applied to one submission (``grader.ingest.late.assess``)."""

    deadline: str
    """ISO date-time with its offset."""
    submitted_at: str | None = None
    """When the source says it was submitted (None: the source gives no time)."""
    days_late: int | None = None
    """Started days after the deadline once the grace is over; None when unknown."""
    penalty: float = 0.0
    """Points to subtract (0 when on time), before any waiver."""
    policy: str = ""
    """The policy in words, e.g. ``10%/day late, at most 50%``."""
    time_source: str | None = None
    """Where the time came from: ``git``, ``archive`` or None."""
    lms_flag: bool = False
    """The LMS marked it late (Canvas) without giving a time."""

    @classmethod
    def from_dict(cls, data: dict) -> Lateness:
        values = _known_fields(cls, data)
        try:
            values["penalty"] = max(0.0, round_points(float(values.get("penalty") or 0.0)))
        except (TypeError, ValueError):
            values["penalty"] = 0.0
        return cls(**values)


@dataclass(frozen=True)
class IngestFacts:
    """What ingest learnt about a submission, carried to the result for people to see."""

    discussion: str | None = None
    """The written 考察, for manual grading; never scored."""
    answers: dict = field(default_factory=dict)
    """The 考察 per question id of the manifest's [[questions]] (unanswered: absent)."""
    untagged: str | None = None
    """考察 written outside the questions' tagged sections, shown to the TA (not scored)."""
    student_name: str | None = None
    """From the roster or the LMS export."""
    email: str | None = None
    """From the roster."""
    source: dict = field(default_factory=dict)
    """How the files arrived: ``kind`` (folder, zip, moodle, canvas, git), ``label``, and
    what ingest did (``converted``), the LMS id and name, a git commit."""
    late: Lateness | None = None
    """The deadline applied, when the assignment has one."""

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.late is None:
            del data["late"]
        return data

    @classmethod
    def from_dict(cls, data: dict | None) -> IngestFacts:
        values = _known_fields(cls, dict(data or {}))
        late = values.get("late")
        values["late"] = Lateness.from_dict(late) if isinstance(late, dict) else None
        values["source"] = dict(values.get("source") or {})
        values["answers"] = {str(k): str(v) for k, v in dict(values.get("answers") or
                                                             {}).items()}
        return cls(**values)


def _checked_format(data: dict, what: str) -> int:
    version = data.get("format", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ResultFormatError(
            f"this {what} was written by a newer grader (format {version}; this grader "
            f"reads up to {FORMAT_VERSION}): upgrade the grader")
    return version


def _facts_of(data: dict) -> IngestFacts:
    """``facts`` (format 2) or the free-form ``extra`` of format 1."""
    if "facts" in data:
        return IngestFacts.from_dict(data["facts"])
    return IngestFacts.from_dict(data.get("extra"))


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
    facts: IngestFacts = field(default_factory=IngestFacts)
    """What ingest learnt, copied into the result for the report and exports."""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["files"] = {name: base64.b64encode(content).decode()
                         for name, content in self.files.items()}
        data["facts"] = self.facts.to_dict()
        data["format"] = FORMAT_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JobSpec:
        _checked_format(data, "job")
        values = _known_fields(cls, data)
        values["files"] = {name: base64.b64decode(content)
                           for name, content in data["files"].items()}
        values["warnings"] = tuple(data.get("warnings", ()))
        values["facts"] = _facts_of(data)
        return cls(**values)


@dataclass(frozen=True)
class JobResult:
    """One graded (student, assignment). Build it with :meth:`of`."""

    FORMAT_VERSION: ClassVar[int] = FORMAT_VERSION

    assignment: str
    student_id: str
    status: JobStatus
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
    facts: IngestFacts = field(default_factory=IngestFacts)
    """What ingest learnt (discussion, name, source, lateness)."""

    @classmethod
    def of(cls, spec: JobSpec, *, status: JobStatus, suite_hash: str, max_points: float,
           outcomes: tuple[TestOutcome, ...] | list[TestOutcome] = (),
           points: float | None = None, **details: Any) -> JobResult:
        """The result of grading ``spec``: everything ingest knew is carried over.

        ``points`` defaults to the sum of the outcomes' earned points (0 for an error).
        ``details`` are the run's own fields (isolation, started_at, duration, error,
        output, events).
        """
        outcomes = tuple(outcomes)
        if points is None:
            points = 0.0 if status == JobStatus.ERROR else sum_points(
                [o.earned for o in outcomes])
        return cls(assignment=spec.assignment, student_id=spec.student_id, status=status,
                   points=points, max_points=max_points,
                   submission_hash=spec.submission_hash, suite_hash=suite_hash,
                   outcomes=outcomes, warnings=spec.warnings,
                   files=tuple(sorted(spec.files)), submitted_at=spec.submitted_at,
                   facts=spec.facts, **details)

    @classmethod
    def crashed(cls, spec: JobSpec, suite_hash: str, error: str, max_points: float = 0.0,
                outcomes: tuple[TestOutcome, ...] = ()) -> JobResult:
        """A job the grader could not finish: no score, the error kept for the record."""
        return cls.of(spec, status=JobStatus.ERROR, suite_hash=suite_hash,
                      max_points=max_points, outcomes=outcomes, error=error)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["facts"] = self.facts.to_dict()
        data["format"] = FORMAT_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JobResult:
        _checked_format(data, "result")
        values = _known_fields(cls, data)
        values["status"] = JobStatus(values["status"])
        values["outcomes"] = tuple(TestOutcome.from_dict(o) for o in data.get("outcomes", ()))
        for key in ("warnings", "files", "events"):
            values[key] = tuple(values.get(key, ()))
        values["facts"] = _facts_of(data)
        return cls(**values)

    def with_changes(self, **changes: Any) -> JobResult:
        return replace(self, **changes)

    def without_artifacts(self) -> JobResult:
        """This result without its tests' curves and images (the gradebook keeps them):
        what a batch keeps in memory for every student it graded."""
        return replace(self, outcomes=tuple(replace(o, artifacts=()) if o.artifacts else o
                                            for o in self.outcomes))

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0
