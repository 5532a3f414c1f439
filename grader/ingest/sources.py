"""Where submissions come from, and how a batch is split into students.

``--submissions PATH`` is a folder or a zip; its kind is detected from its names:

``moodle``  Moodle's "Download all submissions": one folder per participant named
            ``<Full Name>_<participant id>_assignsubmission_file_/`` (or, with
            "download as folders" off, flat files ``<Full Name>_<id>_assignsubmission_
            file_<file name>``). The id is Moodle's per-assignment participant id. The
            archive's file dates are the upload times (the submission time).
``canvas``  Canvas's "Download Submissions": flat files
            ``<sortable name>[_LATE]_<user id>_<attachment id>_<file name>`` (the name
            lower-cased without spaces or punctuation, ``anon_<id>`` when anonymous;
            a resubmitted file's name gets ``-1``). No submission time, only the LATE
            mark.
``folder``  one entry per student, named by the student id: a folder (files found by
            name anywhere inside), a ``<student_id>.zip``, or a git repository (a
            folder of repositories, as GitHub Classroom clones them).

A zip holding any of these (a folder zipped by a TA) is read the same way. Every kind
yields :class:`Intake` objects, one per student, for the steps in
:mod:`grader.ingest.steps`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.ingest import gitrepo
from grader.ingest.errors import IngestError
from grader.ingest.names import normalized
from grader.ingest.unpack import (
    EXPORT_LIMITS,
    STUDENT_LIMITS,
    ArchiveError,
    Entry,
    Refusal,
    archive_refusal,
    list_folder,
    read_zip,
)
from grader.manifest import LatePolicy

log = logging.getLogger("grader.ingest")

MOODLE_FOLDER = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_$")
MOODLE_FILE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)$")
CANVAS_FILE = re.compile(
    r"^(?:(?!(?:LATE|late)_)(?P<name>.*?)_)?(?:(?P<late>LATE|late)_)?"
    r"(?P<id>anon_[A-Za-z0-9]+|\d+)_"
    r"(?P<attachment>\d+)_(?P<file>.+)$")
#: What Moodle writes instead of a name under blind marking (English, Japanese).
BLIND_NAMES = {"participant", "参加者"}


@dataclass
class Intake:
    """One student's files as a source delivered them, before any step ran."""

    key: str
    """The identity as the source writes it: a folder name, an LMS id."""
    kind: str
    """``folder``, ``zip``, ``git``, ``moodle`` or ``canvas``."""
    entries: list[Entry] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)
    """Warnings from the source itself (commits after the deadline...)."""
    name: str | None = None
    """The student's name as the LMS writes it."""
    lms_id: str | None = None
    submitted_at: dt.datetime | None = None
    time_source: str | None = None
    """``git`` (commit time) or ``archive`` (file dates in an LMS export)."""
    lms_late: bool = False
    label: str = ""
    info: dict = field(default_factory=dict)


def open_submissions(path: Path, policy: LatePolicy | None) -> tuple[list[Intake], str]:
    """Every student's intake from a folder or a zip, and the kind detected."""
    if path.is_file():
        try:
            entries, refusals, _archive = read_zip(path, EXPORT_LIMITS)
        except ArchiveError as error:
            raise IngestError(f"{path} is not a usable zip archive ({error.key}: "
                              f"{error.params}); pass a folder or an LMS export zip") from None
        return split_tree(entries, refusals, path.name)
    if not path.is_dir():
        raise IngestError(f"no submissions at {path}")
    children = sorted(child for child in path.iterdir()
                      if not child.name.startswith((".", "_")))
    names = [child.name for child in children]
    if any(MOODLE_FOLDER.match(n) or MOODLE_FILE.match(n) or CANVAS_FILE.match(n)
           for n in names):
        entries, refusals = list_folder(path, max_files=EXPORT_LIMITS.max_members)
        return split_tree(entries, refusals, path.name)
    intakes: list[Intake] = []
    archives: dict[str, list[Path]] = defaultdict(list)
    for child in children:
        if child.is_symlink():
            log.warning("%s: a link, not followed", child)
        elif child.is_dir() and gitrepo.is_repository(child):
            intakes.append(git_intake(child, policy))
        elif child.is_dir():
            entries, refusals = list_folder(child)
            intakes.append(Intake(child.name, "folder", entries, refusals, label=str(child)))
        elif child.suffix.lower() == ".zip":
            archives[_student_key(child.name)].append(child)
        else:
            log.warning("%s: not a folder or a zip, ignored", child)
    for key, paths in sorted(archives.items()):
        intakes.append(zip_intake(key, paths))
    _github_classroom_ids(intakes)
    return intakes, "folder"


def _student_key(file_name: str) -> str:
    """``s2601234 (1).zip`` -> ``s2601234``: the id a per-student archive is named by."""
    stem = file_name[:-4] if file_name.lower().endswith(".zip") else file_name
    cleaned = normalized(stem + ".zip")[:-4]
    return cleaned if cleaned.casefold() != stem.casefold() else stem


def zip_intake(key: str, paths: list[Path]) -> Intake:
    """A student's own zip (the newest, when there are several)."""
    paths = sorted(paths, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    chosen = paths[0]
    intake = Intake(key, "zip", label=str(chosen))
    if len(paths) > 1:
        intake.notes.append(("several_archives", {
            "file": chosen.name, "others": ", ".join(p.name for p in paths[1:])}))
    try:
        intake.entries, intake.refusals, _archive = read_zip(chosen, STUDENT_LIMITS,
                                                             label=chosen.name)
    except ArchiveError as error:
        intake.refusals.append(archive_refusal(chosen.name, error))
    return intake


def git_intake(repository: Path, policy: LatePolicy | None) -> Intake:
    intake = Intake(repository.name, "git", label=str(repository))
    try:
        chosen = gitrepo.read(repository, policy)
    except gitrepo.GitError as error:
        intake.refusals.append(Refusal.of(repository.name, "git_unreadable", detail=str(error)))
        return intake
    intake.entries, intake.refusals, intake.notes = chosen.entries, chosen.refusals, chosen.notes
    if chosen.commit is not None:
        commit = chosen.commit
        intake.submitted_at, intake.time_source = commit.time, "git"
        intake.label = f"git commit {commit.sha[:10]} ({commit.time.isoformat()})"
        intake.info = {"commit": commit.sha, "committed_at": commit.time.isoformat(),
                       "message": commit.subject[:200]}
    return intake


def _github_classroom_ids(intakes: list[Intake]) -> None:
    """``ex02-yamada`` -> LMS id ``yamada`` when every repository shares the prefix."""
    keys = [intake.key for intake in intakes if intake.kind == "git"]
    if len(keys) < 2:
        return
    prefix = os.path.commonprefix(keys)
    prefix = prefix[:prefix.rfind("-") + 1]
    if prefix:
        for intake in intakes:
            if intake.kind == "git":
                intake.lms_id = intake.key[len(prefix):]


# ----------------------------------------------------------------------------- exports


def _strip_wrapper(entries: list[Entry]) -> tuple[list[Entry], str]:
    """Drop folders that wrap everything (an export zipped by hand), and say which."""
    wrapper = ""
    while entries and all(len(e.path.parts) > 1 for e in entries):
        tops = {e.path.parts[0] for e in entries}
        if len(tops) != 1 or MOODLE_FOLDER.match(next(iter(tops))):
            break
        wrapper += next(iter(tops)) + "/"
        entries = [e.moved(PurePosixPath(*e.path.parts[1:])) for e in entries]
    return entries, wrapper


def split_tree(entries: list[Entry], refusals: list[Refusal], label: str
               ) -> tuple[list[Intake], str]:
    """Split an export's files into students, by the naming of its kind."""
    entries, wrapper = _strip_wrapper(entries)
    tops = {e.path.parts[0] for e in entries}
    if any(MOODLE_FOLDER.match(t) or MOODLE_FILE.match(t) for t in tops):
        kind = "moodle"
    elif any(len(e.path.parts) == 1 and CANVAS_FILE.match(e.name) for e in entries):
        kind = "canvas"
    else:
        kind = "folder"
    intakes: dict[str, Intake] = {}
    for entry in entries:
        parts = entry.path.parts
        intake = _intake_for(kind, parts[0], len(parts) == 1, intakes, label)
        if intake is None:
            log.warning("%s: %s does not belong to any student, ignored", label, entry.path)
        else:
            intake.entries.append(entry.moved(_inside(kind, entry.path)))
    for refusal in refusals:
        path = refusal.path.replace("\\", "/").removeprefix(wrapper)
        top, _, rest = path.partition("/")
        owner = _intake_for(kind, top, not rest, intakes, label)
        if owner is not None:
            owner.refusals.append(Refusal(rest or path, refusal.key, refusal.params))
        else:
            log.warning("%s: %s refused (%s)", label, refusal.path, refusal.key)
    found = list(intakes.values())
    for intake in found:
        if kind == "moodle" and intake.entries:
            intake.submitted_at = max((e.mtime for e in intake.entries if e.mtime),
                                      default=None)
            intake.time_source = "archive" if intake.submitted_at else None
    return found, kind


def _intake_for(kind: str, top: str, flat: bool, intakes: dict[str, Intake], label: str
                ) -> Intake | None:
    """The student a top-level name of an export belongs to (created on first sight)."""
    if kind == "moodle":
        match = MOODLE_FILE.match(top) if flat else MOODLE_FOLDER.match(top)
        if match is None:
            return None
        name = match["name"]
        return intakes.setdefault(match["id"], Intake(
            match["id"], "moodle", name=None if name.casefold() in BLIND_NAMES else name,
            lms_id=match["id"], label=f"{label}: {top}"))
    if kind == "canvas":
        match = CANVAS_FILE.match(top) if flat else None
        if match is None:
            return None
        intake = intakes.setdefault(match["id"], Intake(
            match["id"], "canvas", name=match["name"] or None, lms_id=match["id"],
            label=f"{label}: {match['id']}"))
        intake.lms_late |= bool(match["late"])
        return intake
    if flat:
        if not top.lower().endswith(".zip"):
            return None
        key = _student_key(top)
        return intakes.setdefault(key, Intake(key, "zip", label=f"{label}: {top}"))
    return intakes.setdefault(top, Intake(top, "folder", label=f"{label}: {top}/"))


def _inside(kind: str, path: PurePosixPath) -> PurePosixPath:
    """A file's path inside its student's submission."""
    parts = path.parts
    if len(parts) > 1:
        return PurePosixPath(*parts[1:])
    pattern = {"moodle": MOODLE_FILE, "canvas": CANVAS_FILE}.get(kind)
    match = pattern.match(parts[0]) if pattern else None
    return PurePosixPath(match["file"]) if match else path
