"""An assignment's manifest: expected files, tests with points, limits.

``reference/<name>/manifest.toml`` is the one place an assignment's grading is
declared::

    [assignment]
    title = { ja = "...", en = "..." }
    deadline = 2025-05-20T23:59:00+09:00   # optional; a TOML date-time with its UTC offset

    [late]                   # optional, needs a deadline; how late work is scored
    grace_minutes = 10       # submissions this long after the deadline count as on time
    penalty_per_day = "10%"  # per started day late: "N%" of the maximum points, or points (2)
    max_penalty = "50%"      # cap on the total penalty, same units (default: everything)
    resubmissions = "last_before_deadline"   # or "last": which of several submissions counts

    [limits]                 # optional; overrides the Limits defaults below
    call_timeout = 10

    [[files]]                # what a submission must contain
    module = "perceptron"    # the name tests use: student("perceptron")
    name = "perceptron.py"   # {student_id} stands for the submitter's id

    [[tests]]
    id = "test_perceptron.py::test_forward"
    points = 2
    hidden = true
    title = { ja = "...", en = "..." }

The manifest is checked against the collected tests on every run: a test without an
entry, or an entry without a test, is a broken suite (a grader error, never a zero).

Deadlines: ingest takes the submission time from the source (a git commit's time, the
file dates of a Moodle export; a Canvas export only says "late", a plain folder says
nothing) and records the days late and the penalty in points (``IngestFacts.late``);
the grade subtracts it. Days late are counted per started 24 hours after the deadline,
once the grace period is over. With ``resubmissions = "last_before_deadline"`` (the
default) the latest submission made before the deadline counts and later ones are
ignored (a late one counts only when there is none before); with ``"last"`` the latest
counts, late or not.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import hashlib
import math
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader.errors import UserError
from grader.i18n import Bilingual
from grader.paths import AssignmentPaths, Course


class ManifestError(UserError):
    """The manifest is missing, malformed, or disagrees with the test files."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one job; defaults can be overridden per assignment manifest."""

    call_timeout: float = 10.0
    """Wall seconds one call into student code may take."""
    job_timeout: float = 180.0
    """Wall seconds for the whole job (all tests of one submission)."""
    cpu_seconds: int = 120
    """CPU seconds one worker process may use."""
    memory_mb: int = 2048
    """Address space of the worker (RLIMIT_AS)."""
    processes: int = 64
    """Tasks (threads) the worker may have, where RLIMIT_NPROC applies (seccomp refuses
    new processes regardless)."""
    output_kb: int = 64
    """Captured output kept per job."""
    file_size_mb: int = 16
    """Largest file the student's code may write (including its stdout)."""
    scratch_mb: int = 128
    """Size of the scratch directory: the private tmpfs under bubblewrap (/tmp too), the
    size the judge lets the folder on its disk reach in the fallback."""
    scratch_files: int = 4096
    """Files and folders the fallback's scratch folder may hold (under bubblewrap the
    tmpfs has its own cap)."""
    max_restarts: int = 8
    """Worker restarts (after a crash or timeout) before the remaining tests are given up."""
    startup_timeout: float = 30.0
    """Wall seconds for a worker to start and say hello."""

    @classmethod
    def from_dict(cls, values: dict) -> Limits:
        known = {name for name in cls.__dataclass_fields__}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ExpectedFile:
    name: str
    """File name; ``{student_id}`` is a placeholder for the submitter's id."""
    module: str | None = None
    """Logical module name the tests import, or None for non-code files."""
    kind: str = "code"
    """``code``, ``discussion`` (shown for manual grading) or ``data``."""
    optional: bool = False

    @property
    def pattern(self) -> str:
        """A glob matching the file name for any student id."""
        return self.name.replace("{student_id}", "*")

    def name_for(self, student_id: str) -> str:
        return self.name.replace("{student_id}", student_id)

    def id_in(self, file_name: str) -> str | None:
        """The student id written in a matching file name, if the pattern has one."""
        if "{student_id}" not in self.name:
            return None
        head, tail = self.name.split("{student_id}", 1)
        match = re.fullmatch(re.escape(head) + r"(.+)" + re.escape(tail), file_name)
        return match.group(1) if match else None


@dataclass(frozen=True)
class TestSpec:
    id: str
    """``file.py::function`` (parametrized cases share the function's entry)."""
    points: float
    hidden: bool
    title: Bilingual

    @property
    def file(self) -> str:
        return self.id.split("::", 1)[0]


RESUBMISSION_POLICIES = ("last_before_deadline", "last")
LATE_KEYS = ("grace_minutes", "penalty_per_day", "max_penalty", "resubmissions")


@dataclass(frozen=True)
class Amount:
    """Points, or a fraction of the assignment's maximum (written ``"10%"``)."""

    value: float
    fraction: bool = False

    def points(self, max_points: float) -> float:
        return self.value * max_points if self.fraction else self.value

    def __str__(self) -> str:
        return f"{self.value * 100:g}%" if self.fraction else f"{self.value:g} points"


@dataclass(frozen=True)
class LatePolicy:
    """``[assignment] deadline`` and the ``[late]`` table (see the module docstring)."""

    deadline: dt.datetime
    """Timezone-aware."""
    grace_minutes: float = 0.0
    penalty_per_day: Amount = Amount(0.0)
    max_penalty: Amount | None = None
    resubmissions: str = "last_before_deadline"

    @property
    def cutoff(self) -> dt.datetime:
        """The last moment that still counts as on time (deadline plus grace)."""
        return self.deadline + dt.timedelta(minutes=self.grace_minutes)

    def summary(self) -> str:
        """A short description, e.g. ``10%/day late, at most 50%, 10 min grace``."""
        parts = [f"{self.penalty_per_day}/day late"]
        if self.max_penalty is not None:
            parts.append(f"at most {self.max_penalty}")
        if self.grace_minutes:
            parts.append(f"{self.grace_minutes:g} min grace")
        parts.append(self.resubmissions.replace("_", " ") + " counts")
        return ", ".join(parts)


@dataclass(frozen=True)
class Assignment:
    name: str
    paths: AssignmentPaths
    title: Bilingual
    files: tuple[ExpectedFile, ...]
    tests: tuple[TestSpec, ...]
    limits: Limits
    raw: dict = field(repr=False, default_factory=dict)
    late: LatePolicy | None = None
    """Deadline and late policy, when the manifest sets a deadline."""

    @property
    def max_points(self) -> float:
        return round(math.fsum(test.points for test in self.tests), 4)

    @property
    def modules(self) -> tuple[ExpectedFile, ...]:
        return tuple(f for f in self.files if f.module)

    def test(self, test_id: str) -> TestSpec | None:
        base = test_id.split("[", 1)[0]
        for test in self.tests:
            if test.id == base:
                return test
        return None

    def suite_files(self) -> list[Path]:
        """Every file whose content decides scores (hashed into the suite hash)."""
        paths = self.paths
        files = [paths.manifest, *paths.test_files()]
        for folder in (paths.solution, paths.course.kit_shared_dir, paths.data):
            if folder.is_dir():
                files += sorted(p for p in folder.rglob("*") if p.is_file()
                                and "__pycache__" not in p.parts)
        if paths.mistakes.is_file():
            files.append(paths.mistakes)
        return files


def _bilingual(value: object, where: str) -> Bilingual:
    if isinstance(value, str):
        return {"ja": value, "en": value}
    if isinstance(value, dict) and isinstance(value.get("ja"), str) and isinstance(
            value.get("en"), str):
        return {"ja": value["ja"], "en": value["en"]}
    raise ManifestError(f"{where}: expected a string or {{ ja = ..., en = ... }}")


def load_assignment(course: Course, name: str) -> Assignment:
    paths = course.assignment(name)
    if not paths.manifest.is_file():
        raise ManifestError(f"{name}: no manifest at {paths.manifest}")
    try:
        with open(paths.manifest, "rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"{paths.manifest}: {error}") from None
    info = raw.get("assignment", {})
    files = []
    for index, entry in enumerate(raw.get("files", [])):
        if "name" not in entry:
            raise ManifestError(f"{name}: files[{index}] has no name")
        files.append(ExpectedFile(name=entry["name"], module=entry.get("module"),
                                  kind=entry.get("kind", "code" if entry.get("module") else "data"),
                                  optional=bool(entry.get("optional", False))))
    tests = []
    seen = set()
    for index, entry in enumerate(raw.get("tests", [])):
        test_id = entry.get("id", "")
        if "::" not in test_id:
            raise ManifestError(f"{name}: tests[{index}] id must look like file.py::test_name")
        if test_id in seen:
            raise ManifestError(f"{name}: test {test_id} is declared twice")
        seen.add(test_id)
        points = entry.get("points")
        if not isinstance(points, (int, float)) or points < 0:
            raise ManifestError(f"{name}: {test_id} needs points >= 0")
        tests.append(TestSpec(id=test_id, points=float(points), hidden=bool(entry.get("hidden")),
                              title=_bilingual(entry.get("title", test_id), test_id)))
    try:
        limits = Limits.from_dict(raw.get("limits", {}))
    except (TypeError, ValueError) as error:
        raise ManifestError(f"{name}: [limits]: {error}") from None
    return Assignment(name=name, paths=paths,
                      title=_bilingual(info.get("title", name), f"{name} title"),
                      files=tuple(files), tests=tuple(tests), limits=limits, raw=raw,
                      late=_late_policy(name, info, raw.get("late")))


def _amount(name: str, key: str, value: object) -> Amount:
    """``"10%"`` (of the maximum points) or a number of points, never negative."""
    where = f"{name}: [late] {key}"
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            percent = float(value.strip()[:-1])
        except ValueError:
            raise ManifestError(f"{where} = {value!r}: write a percentage like \"10%\"") from None
        if not 0 <= percent <= 100:
            raise ManifestError(f"{where} = {value!r}: a percentage between 0% and 100%")
        return Amount(percent / 100, fraction=True)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ManifestError(f"{where} = {value!r}: points (a number >= 0) or a percentage "
                            f"of the maximum like \"10%\"")
    return Amount(float(value))


def _late_policy(name: str, info: dict, late: object) -> LatePolicy | None:
    """The deadline and ``[late]`` table, checked (None without a deadline)."""
    deadline = info.get("deadline")
    if deadline is None:
        if late:
            raise ManifestError(f"{name}: [late] needs [assignment] deadline")
        return None
    if isinstance(deadline, str):
        try:
            deadline = dt.datetime.fromisoformat(deadline)
        except ValueError:
            raise ManifestError(f"{name}: [assignment] deadline = {deadline!r} is not an ISO "
                                f"date-time like 2025-05-20T23:59:00+09:00") from None
    if not isinstance(deadline, dt.datetime) or deadline.tzinfo is None:
        raise ManifestError(f"{name}: [assignment] deadline must be a date-time with its UTC "
                            f"offset, like 2025-05-20T23:59:00+09:00 (got {deadline!r})")
    table = late if isinstance(late, dict) else {}
    if late is not None and not isinstance(late, dict):
        raise ManifestError(f"{name}: [late] must be a table")
    for key in table:
        if key not in LATE_KEYS:
            close = difflib.get_close_matches(key, LATE_KEYS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ManifestError(f"{name}: [late] has an unknown key {key!r}{hint}; known: "
                                f"{', '.join(LATE_KEYS)}")
    grace = table.get("grace_minutes", 0)
    if isinstance(grace, bool) or not isinstance(grace, (int, float)) or grace < 0:
        raise ManifestError(f"{name}: [late] grace_minutes must be a number >= 0")
    resubmissions = table.get("resubmissions", "last_before_deadline")
    if resubmissions not in RESUBMISSION_POLICIES:
        raise ManifestError(f"{name}: [late] resubmissions must be one of "
                            f"{', '.join(RESUBMISSION_POLICIES)} (got {resubmissions!r})")
    cap = table.get("max_penalty")
    return LatePolicy(deadline=deadline, grace_minutes=float(grace),
                      penalty_per_day=_amount(name, "penalty_per_day",
                                              table.get("penalty_per_day", 0)),
                      max_penalty=None if cap is None else _amount(name, "max_penalty", cap),
                      resubmissions=resubmissions)


def check_against_files(assignment: Assignment) -> list[str]:
    """Problems between the manifest and the test files on disk (empty: consistent)."""
    problems = []
    public = {p.name for p in assignment.paths.test_files()
              if p.parent == assignment.paths.public_tests}
    hidden = {p.name for p in assignment.paths.test_files()
              if p.parent == assignment.paths.hidden_tests}
    for clash in public & hidden:
        problems.append(f"{clash} exists both as a public and a hidden test file")
    for test in assignment.tests:
        if test.file not in public | hidden:
            problems.append(f"{test.id}: no such test file")
        elif test.hidden != (test.file in hidden):
            where = "reference/ (hidden)" if test.file in hidden else "assignments/ (public)"
            problems.append(f"{test.id}: manifest says hidden={test.hidden}, file is in {where}")
    return problems


def check_against_collected(assignment: Assignment, collected: list[str]) -> list[str]:
    """Problems between the manifest and the test ids pytest collected."""
    problems = []
    bases = {item.split("[", 1)[0] for item in collected}
    declared = {test.id for test in assignment.tests}
    for base in sorted(bases - declared):
        problems.append(f"collected test {base} has no entry (no points) in the manifest")
    for test_id in sorted(declared - bases):
        problems.append(f"manifest test {test_id} was not collected")
    return problems


def suite_hash(assignment: Assignment, grader_files: list[Path]) -> str:
    """Hash of everything that decides a score: a changed suite re-grades everyone."""
    digest = hashlib.sha256()
    root = assignment.paths.course.root
    for path in sorted(set(assignment.suite_files()) | set(grader_files)):
        try:
            label = str(path.relative_to(root))
        except ValueError:
            label = path.name
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def match_file(expected: ExpectedFile, name: str) -> bool:
    return fnmatch.fnmatchcase(name, expected.pattern)
