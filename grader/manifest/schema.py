"""The plain parts of a manifest: expected files, tests with points, resource limits."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from grader.errors import UserError
from grader.i18n import Bilingual


class ManifestError(UserError):
    """The manifest is missing, malformed, or disagrees with the test files."""


def bilingual(value: object, where: str) -> Bilingual:
    if isinstance(value, str):
        return {"ja": value, "en": value}
    if isinstance(value, dict) and isinstance(value.get("ja"), str) and isinstance(
            value.get("en"), str):
        return {"ja": value["ja"], "en": value["en"]}
    raise ManifestError(f"{where}: expected a string or {{ ja = ..., en = ... }}")


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
