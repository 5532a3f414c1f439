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

    [[questions]]            # 考察 graded by hand, and [[figures]] to collect: see
                             # grader/manifest/questions.py

    [[conventions]]          # a quantity the slides allow to be computed more than one way
    id = "batch"
    title = { ja = "...", en = "..." }
    [[conventions.accepted]] # each way earns full marks; the report names the one recognised
    id = "sum"
    title = { ja = "...", en = "..." }
    recognised = { ja = "... と認識しました。", en = "Recognised: ..." }
    slides = ["004 「平均二乗誤差関数と逆伝播(2)」"]   # deck number and heading
    sample = "correct_sum"   # the sample student (submissions/<name>/) that uses it

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

import fnmatch
import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.manifest.conventions import AcceptedConvention, Convention, conventions
from grader.manifest.late import LatePolicy, late_policy
from grader.manifest.questions import Figure, Question, figures, questions
from grader.i18n import Bilingual
from grader.manifest.schema import ExpectedFile, Limits, ManifestError, TestSpec, bilingual
from grader.paths import AssignmentPaths, Course

__all__ = ["AcceptedConvention", "Assignment", "Convention", "ExpectedFile", "Figure",
           "LatePolicy", "Limits", "ManifestError", "Question", "TestSpec",
           "check_against_collected", "check_against_files", "load_assignment", "match_file",
           "suite_hash"]


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
    conventions: tuple[Convention, ...] = ()
    """The conventions the slides allow (each earns full marks), recognised by the tests."""
    questions: tuple[Question, ...] = ()
    """Written questions (考察), graded by hand (see grader.manifest.questions)."""
    figures: tuple[Figure, ...] = ()
    """Figures the student's scripts make, collected for people to look at."""

    def convention(self, convention_id: str) -> Convention | None:
        return next((c for c in self.conventions if c.id == convention_id), None)

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
                              title=bilingual(entry.get("title", test_id), test_id)))
    try:
        limits = Limits.from_dict(raw.get("limits", {}))
    except (TypeError, ValueError) as error:
        raise ManifestError(f"{name}: [limits]: {error}") from None
    asked = questions(name, raw.get("questions", []))
    return Assignment(name=name, paths=paths,
                      title=bilingual(info.get("title", name), f"{name} title"),
                      files=tuple(files), tests=tuple(tests), limits=limits, raw=raw,
                      late=late_policy(name, info, raw.get("late")),
                      conventions=conventions(name, raw.get("conventions", [])),
                      questions=asked, figures=figures(name, raw.get("figures", []), asked))


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
