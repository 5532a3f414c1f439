"""An assignment's manifest: expected files, tests with points, limits.

``reference/<name>/manifest.toml`` is the one place an assignment's grading is
declared::

    [assignment]
    title = { ja = "...", en = "..." }

    [limits]                 # optional; overrides grader.sandbox.Limits defaults
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
"""

from __future__ import annotations

import fnmatch
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.i18n import Bilingual
from grader.paths import AssignmentPaths, Course
from grader.sandbox import Limits


class ManifestError(Exception):
    """The manifest is missing, malformed, or disagrees with the test files."""


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


@dataclass(frozen=True)
class Assignment:
    name: str
    paths: AssignmentPaths
    title: Bilingual
    files: tuple[ExpectedFile, ...]
    tests: tuple[TestSpec, ...]
    limits: Limits
    raw: dict = field(repr=False, default_factory=dict)

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
                      files=tuple(files), tests=tuple(tests), limits=limits, raw=raw)


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
