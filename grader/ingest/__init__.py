"""From submissions as they arrive to :class:`Submission` objects the judge can grade.

Sources (:mod:`~grader.ingest.sources`): a folder per student, a zip per student, a
folder of git repositories, and the "download all submissions" zips of Moodle and
Canvas (or the same, unzipped); the kind is detected from the names. A roster
(:mod:`~grader.ingest.roster`) maps LMS identities to student ids.

Per student, a chain of small steps (:mod:`~grader.ingest.steps`): unpack the
student's own archives safely (:mod:`~grader.ingest.unpack`: no traversal, links,
devices or zip bombs, never extracted to disk), refuse files that would shadow
modules, match drifted file names (:mod:`~grader.ingest.names`), decode legacy
encodings (:mod:`~grader.ingest.decode`), convert notebooks to modules by parsing only
(:mod:`~grader.ingest.notebook`), apply the deadline (:mod:`~grader.ingest.late`).
Every step adds bilingual warnings to the student's report and none raises for a
student's mistake: a student whose files were all refused is still a submission,
graded as missing with the reasons. Student code is never run here.

Only a problem with the whole batch (an unreadable export or roster) raises
:class:`IngestError`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from grader.ingest.errors import IngestError
from grader.ingest.roster import Roster
from grader.ingest.sources import Intake, open_submissions
from grader.ingest.steps import Identity, build, identify, module_docstring
from grader.ingest.submission import Submission
from grader.ingest.unpack import list_folder
from grader.manifest import Assignment

__all__ = ["IngestError", "Roster", "Submission", "collect", "discover", "module_docstring"]

log = logging.getLogger("grader.ingest")


def collect(folder: Path, assignment: Assignment, student_id: str | None = None) -> Submission:
    """Build one student's submission from a folder."""
    entries, refusals = list_folder(folder) if folder.is_dir() else ([], [])
    intake = Intake(folder.name, "folder", entries, refusals, label=str(folder))
    return build(intake, assignment, Identity(student_id or folder.name))


def _roster(roster: Path | Roster | None) -> Roster | None:
    if roster is None or isinstance(roster, Roster):
        return roster
    return Roster.load(Path(roster))


def discover(assignment: Assignment, submissions_dir: Path | None = None,
             roster: Path | Roster | None = None) -> list[Submission]:
    """Every student's submission under ``submissions_dir`` (a folder or an export zip).

    The default is ``submissions/<assignment>/``. With a roster, students in it who
    submitted nothing get a missing submission too. Raises :class:`IngestError` only
    for a problem with the whole batch.
    """
    base = assignment.paths.submissions(submissions_dir)
    if submissions_dir is None and not base.is_dir():
        return []
    people = _roster(roster)
    intakes, kind = open_submissions(base, assignment.late)
    submissions: dict[str, Submission] = {}
    for intake in intakes:
        try:
            identity = identify(intake, people, assignment.name)
            submission = build(intake, assignment, identity)
        except Exception:  # noqa: BLE001 - a grader bug for one student must not stop the batch
            # No job for this student: an earlier grade, if any, stays as it was.
            log.exception("ingest failed for %s (%s); not graded this time", intake.key,
                          intake.label)
            continue
        if submission.student_id in submissions:
            first = submissions[submission.student_id]
            alias = _free_id(submission.student_id, submissions)
            submission.warn("duplicate_identity", student=first.student_id,
                            other=first.source, alias=alias)
            submission.student_id = alias
        submissions[submission.student_id] = submission
    if people is not None:
        for person in people.people:
            if person.student_id not in submissions:
                missing = Submission(assignment=assignment.name, student_id=person.student_id,
                                     source=str(base), student_name=person.name or None,
                                     student_email=person.email or None,
                                     source_info={"kind": kind, "label": str(base)})
                for expected in assignment.modules:
                    missing.modules[expected.module or ""] = None
                missing.warn("not_submitted", source=base.name)
                submissions[person.student_id] = missing
    return [submissions[key] for key in sorted(submissions)]


def _free_id(student_id: str, taken: dict[str, Submission]) -> str:
    number = 2
    while f"{student_id}~{number}" in taken:
        number += 1
    return f"{student_id}~{number}"
