"""Where things live in a course directory. No other module builds these paths by hand.

A course directory holds::

    assignments/<name>/        the student's kit: scripts/ (skeletons), tests/ (public),
                               data/, outputs/, pyproject.toml, TASK.ja.md, TASK.en.md
    assignments/_kit/          files shared by every kit (conftest.py, checks.py)
    reference/<name>/          manifest.toml, solution/, tests/ (hidden), mistakes.toml
    submissions/<name>/<student_id>/...   one folder per student
    reports/                   gradebook.sqlite, HTML reports, exports, publish/
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import grader
from grader.errors import UserError

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10))}


def safe_name(student_id: str) -> str:
    """A file name for a student id (ids come from folder names and LMS exports).

    A plain id is kept as it is; anything else is cleaned and gets a short hash of the
    original, so two ids never share a file ("a b" and "a_b" differ).
    """
    if _SAFE.fullmatch(student_id) and student_id.split(".")[0].upper() not in _RESERVED:
        return student_id
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", student_id).strip("._-")[:60] or "student"
    return f"{cleaned}-{hashlib.sha256(student_id.encode()).hexdigest()[:8]}"





class CourseNotFound(UserError):
    """No course directory (with assignments/ and reference/) could be found."""


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def locate(cls, explicit: str | os.PathLike | None = None) -> Course:
        """The course given, else $GRADER_COURSE, else the working directory or the checkout."""
        candidates = []
        if explicit:
            candidates.append(Path(explicit))
        elif os.environ.get("GRADER_COURSE"):
            candidates.append(Path(os.environ["GRADER_COURSE"]))
        else:
            candidates += [Path.cwd(), Path(grader.__file__).resolve().parent.parent]
        for candidate in candidates:
            if (candidate / "assignments").is_dir() and (candidate / "reference").is_dir():
                return cls(candidate.resolve())
        raise CourseNotFound(
            f"no course directory (with assignments/ and reference/) at "
            f"{', '.join(str(c) for c in candidates)}; pass --course DIR")

    @property
    def assignments_dir(self) -> Path:
        return self.root / "assignments"

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference"

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    @property
    def kit_shared_dir(self) -> Path:
        return self.assignments_dir / "_kit"

    @property
    def reports_dir(self) -> Path:
        """Where reports, the gradebook and exports go by default."""
        return self.root / "reports"

    @property
    def gradebook(self) -> Path:
        """The default gradebook."""
        return self.reports_dir / "gradebook.sqlite"

    @property
    def publish_dir(self) -> Path:
        """Where ``grader publish`` writes the student folders by default."""
        return self.reports_dir / "publish"

    def assignment_names(self) -> list[str]:
        """Assignments that have both a kit and a reference with a manifest."""
        return sorted(
            path.name for path in self.reference_dir.iterdir()
            if (path / "manifest.toml").is_file() and (self.assignments_dir / path.name).is_dir()
        ) if self.reference_dir.is_dir() else []

    def assignment(self, name: str) -> AssignmentPaths:
        return AssignmentPaths(self, name)


@dataclass(frozen=True)
class AssignmentPaths:
    course: Course
    name: str

    @property
    def kit(self) -> Path:
        return self.course.assignments_dir / self.name

    @property
    def scripts(self) -> Path:
        return self.kit / "scripts"

    @property
    def public_tests(self) -> Path:
        return self.kit / "tests"

    @property
    def data(self) -> Path:
        return self.kit / "data"

    @property
    def reference(self) -> Path:
        return self.course.reference_dir / self.name

    @property
    def manifest(self) -> Path:
        return self.reference / "manifest.toml"

    @property
    def solution(self) -> Path:
        return self.reference / "solution"

    @property
    def hidden_tests(self) -> Path:
        return self.reference / "tests"

    @property
    def mistakes(self) -> Path:
        return self.reference / "mistakes.toml"

    def submissions(self, base: Path | None = None) -> Path:
        return base if base is not None else self.course.submissions_dir / self.name

    def test_files(self) -> list[Path]:
        """Public then hidden test files, in a fixed order."""
        public = sorted(self.public_tests.glob("test_*.py")) if self.public_tests.is_dir() else []
        hidden = sorted(self.hidden_tests.glob("test_*.py")) if self.hidden_tests.is_dir() else []
        return public + hidden
