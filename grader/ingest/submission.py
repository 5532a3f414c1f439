"""One student's files for one assignment, normalised for grading."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from grader import i18n
from grader.results import IngestFacts, JobSpec, Lateness


@dataclass
class Submission:
    """What ingest made of one student's hand-in; becomes a :class:`JobSpec`."""

    assignment: str
    student_id: str
    files: dict[str, bytes] = field(default_factory=dict)
    """Graded file name (a plain name, placed in the worker's scripts/) -> UTF-8 content."""
    modules: dict[str, str | None] = field(default_factory=dict)
    """Logical module -> module name to import (None when missing)."""
    warnings: list[dict] = field(default_factory=list)
    discussion: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    """The 考察 answers per question id (grader.ingest.discussion)."""
    untagged: str | None = None
    """考察 text outside the questions' sections (grader.ingest.discussion)."""
    submitted_at: str | None = None
    source: str = ""
    """Where the files came from (a path, an archive, a commit), for people."""
    student_name: str | None = None
    student_email: str | None = None
    source_info: dict = field(default_factory=dict)
    """``IngestFacts.source``: ``kind`` (folder, zip, moodle, canvas, git), ``label``,
    and what ingest did (``converted``: notebooks and re-encoded files)."""
    late: Lateness | None = None
    """The deadline applied (see grader/ingest/late.py)."""

    def warn(self, key: str, file: str = "", **params: object) -> None:
        self.warnings.append({"id": key, "file": file,
                              "message": i18n.message(f"ingest.{key}", file=file, **params)})

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name] + b"\0")
        digest.update((self.discussion or "").encode())
        if self.submitted_at or self.late:
            # A resubmission of the same files at another time can change the penalty.
            penalty = self.late.penalty if self.late is not None else None
            digest.update(json.dumps([self.submitted_at, penalty]).encode())
        return digest.hexdigest()

    @property
    def nothing_submitted(self) -> bool:
        return not any(self.modules.values())

    def job_spec(self, course_root: Path, isolation: str = "auto") -> JobSpec:
        for name in self.files:  # the worker writes these into scripts/: plain names only
            if "/" in name or "\\" in name or name in ("", ".", ".."):
                raise ValueError(f"graded file name {name!r} is not a plain file name")
        facts = IngestFacts(discussion=self.discussion or None, answers=dict(self.answers),
                            untagged=self.untagged or None,
                            student_name=self.student_name or None,
                            email=self.student_email or None,
                            source=dict(self.source_info), late=self.late)
        return JobSpec(assignment=self.assignment, student_id=self.student_id,
                       files=dict(self.files), modules=dict(self.modules),
                       submission_hash=self.content_hash, course_root=str(course_root),
                       warnings=tuple(self.warnings), submitted_at=self.submitted_at,
                       isolation=isolation, missing_everything=self.nothing_submitted,
                       facts=facts)
