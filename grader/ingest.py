"""From a student's folder to a :class:`Submission` the judge can grade.

Ingest is a chain of small steps: list the files, match them to the manifest's expected
files, read and check them, extract the written discussion. Each step adds warnings
(shown in the student's report) and never raises for a student's mistake: a missing
or unreadable file becomes a missing module, graded as such.

Layout: ``<submissions>/<student_id>/...``; expected files are found by name anywhere
inside a student's folder.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader import i18n
from grader.manifest import Assignment, ExpectedFile
from grader.results import JobSpec

MAX_FILE_BYTES = 1_000_000
IGNORED_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX", ".venv", "outputs"}


@dataclass
class Submission:
    """One student's files for one assignment, normalised for grading."""

    assignment: str
    student_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    """Graded file name -> content (placed in the worker's scripts/)."""
    modules: dict[str, str | None] = field(default_factory=dict)
    """Logical module -> module name to import (None when missing)."""
    warnings: list[dict] = field(default_factory=list)
    discussion: str | None = None
    submitted_at: str | None = None
    source: str = ""

    def warn(self, key: str, file: str = "", **params: object) -> None:
        self.warnings.append({"id": key, "file": file,
                              "message": i18n.message(f"ingest.{key}", file=file, **params)})

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name] + b"\0")
        digest.update((self.discussion or "").encode())
        return digest.hexdigest()

    @property
    def nothing_submitted(self) -> bool:
        return not any(self.modules.values())

    def job_spec(self, course_root: Path, isolation: str = "auto") -> JobSpec:
        return JobSpec(assignment=self.assignment, student_id=self.student_id,
                       files=dict(self.files), modules=dict(self.modules),
                       submission_hash=self.content_hash, course_root=str(course_root),
                       warnings=tuple(self.warnings), submitted_at=self.submitted_at,
                       isolation=isolation, missing_everything=self.nothing_submitted,
                       extra={"discussion": self.discussion} if self.discussion else {})


# ----------------------------------------------------------------------------- steps


def list_files(folder: Path) -> list[PurePosixPath]:
    """Regular files under a student's folder (relative), skipping tool clutter and links."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if any(part in IGNORED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        found.append(relative)
    return found


def _candidates(expected: ExpectedFile, files: list[PurePosixPath]) -> list[PurePosixPath]:
    matches = [f for f in files if fnmatch.fnmatchcase(f.name, expected.pattern)]
    # Shallowest first: scripts/perceptron.py beats old/perceptron.py.
    return sorted(matches, key=lambda f: (len(f.parts), str(f)))


def decode_python(data: bytes) -> str | None:
    """The file's text if it is UTF-8 (with or without BOM), else None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def module_docstring(text: str) -> str | None:
    """The module docstring, read without running the code (None when it does not parse)."""
    try:
        return ast.get_docstring(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def match_expected_files(submission: Submission, assignment: Assignment, folder: Path,
                         files: list[PurePosixPath]) -> None:
    """Find each expected file, read it, and record module names and warnings."""
    used: set[PurePosixPath] = set()
    for expected in assignment.files:
        candidates = _candidates(expected, files)
        if expected.module:
            submission.modules[expected.module] = None
        if not candidates:
            if not expected.optional:
                submission.warn("missing_file", file=expected.name_for(submission.student_id))
            continue
        chosen = candidates[0]
        if len(candidates) > 1:
            submission.warn("several_candidates", file=str(chosen),
                            others=", ".join(str(c) for c in candidates[1:]))
        used.update(candidates)
        written_id = expected.id_in(chosen.name)
        if written_id is not None and written_id != submission.student_id:
            submission.warn("id_mismatch", file=chosen.name, written=written_id,
                            student=submission.student_id)
        data = (folder / chosen).read_bytes()
        if len(data) > MAX_FILE_BYTES:
            submission.warn("too_large", file=str(chosen), limit=MAX_FILE_BYTES // 1000)
            continue
        if expected.kind == "discussion":
            text = decode_python(data)
            if text is not None:
                submission.discussion = text
            else:
                submission.warn("undecodable", file=str(chosen))
            continue
        if expected.module:
            text = decode_python(data)
            if text is None:
                submission.warn("undecodable", file=str(chosen))
                continue
            submission.files[chosen.name] = text.encode("utf-8")
            submission.modules[expected.module] = chosen.name[:-3]
            if submission.discussion is None and "{student_id}" in expected.name:
                submission.discussion = module_docstring(text)
    extra = [f for f in files if f not in used and f.suffix in (".py", ".ipynb")]
    if extra:
        submission.warn("ignored_files", file=", ".join(str(f) for f in extra[:10]))


def collect(folder: Path, assignment: Assignment, student_id: str | None = None) -> Submission:
    """Build one student's submission from a folder."""
    submission = Submission(assignment=assignment.name, student_id=student_id or folder.name,
                            source=str(folder))
    files = list_files(folder) if folder.is_dir() else []
    match_expected_files(submission, assignment, folder, files)
    return submission


def discover(assignment: Assignment, submissions_dir: Path | None = None) -> list[Submission]:
    """Every student folder under ``<submissions>/`` (default submissions/<assignment>/)."""
    base = assignment.paths.submissions(submissions_dir)
    if not base.is_dir():
        return []
    return [collect(folder, assignment) for folder in sorted(base.iterdir())
            if folder.is_dir() and not folder.name.startswith((".", "_"))]
