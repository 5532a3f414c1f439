"""The chain of small steps from one student's :class:`Intake` to a :class:`Submission`.

Each step reads and extends a :class:`State` and records what it did as bilingual
warnings in the student's report; none raises for a student's mistake. In order:

1. ``report_source``    the identity, and what the source refused or noticed
2. ``expand_archives``  a student's own zip files, checked member by member
3. ``refuse_shadowing`` files that would shadow numpy, conftest, sitecustomize, *.pth
4. ``match_files``      each expected file by name (drifted names, notebooks), read,
                        decoded (BOM, CRLF, cp932), converted (notebooks)
5. ``report_ignored``   code files that are not part of the assignment
6. ``assess_lateness``  the deadline and late policy against the submission time
7. ``describe_source``  how the files arrived, for the report
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from grader.ingest import late, names, notebook
from grader.ingest.discussion import parse_answers, untagged_text
from grader.ingest.decode import declare_utf8, decode_text
from grader.ingest.roster import Roster
from grader.ingest.sources import Intake
from grader.ingest.submission import Submission
from grader.ingest.unpack import (
    MAX_FOLDER_FILES,
    STUDENT_LIMITS,
    ArchiveError,
    Entry,
    read_zip,
)
from grader.manifest import Assignment, ExpectedFile

MAX_FILE_BYTES = 1_000_000
#: Notebooks carry their outputs (plots as base64), so they may be larger.
MAX_NOTEBOOK_BYTES = 20_000_000
MAX_ARCHIVE_DEPTH = 2
UNSUPPORTED_ARCHIVES = (".rar", ".7z", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz",
                        ".lzh", ".gz")
MAX_LISTED = 10


@dataclass(frozen=True)
class Identity:
    student_id: str
    name: str | None = None
    notes: tuple[tuple[str, dict], ...] = ()
    email: str | None = None


@dataclass
class State:
    intake: Intake
    assignment: Assignment
    submission: Submission
    entries: list[Entry] = field(default_factory=list)
    used: set[PurePosixPath] = field(default_factory=set)
    refused: set[PurePosixPath] = field(default_factory=set)
    converted: list[str] = field(default_factory=list)

    def warn(self, key: str, file: object = "", **params: object) -> None:
        self.submission.warn(key, file=str(file), **params)


def _clean_id(text: str) -> str:
    return re.sub(r"[^\w.-]", "_", text).strip("._") or "student"


def packed_id(intake: Intake, assignment: str) -> str:
    """``02_perceptron_s2601234.zip`` (what the kit's pack.py writes) -> ``s2601234``."""
    prefix = f"{assignment}_"
    if intake.kind == "zip" and intake.key.startswith(prefix) and len(intake.key) > len(prefix):
        return intake.key[len(prefix):]
    return intake.key


def identify(intake: Intake, roster: Roster | None, assignment: str = "") -> Identity:
    """The student id to grade under: from the roster, else a clear stand-in."""
    key = packed_id(intake, assignment) if assignment else intake.key
    lms = intake.kind in ("moodle", "canvas")
    who = f"{intake.name} ({intake.lms_id})" if intake.name else (intake.lms_id or key)
    if roster is not None:
        person = roster.find(lms_id=intake.lms_id, key=None if lms else key,
                             name=intake.name)
        if person is not None:
            return Identity(person.student_id, person.name or intake.name,
                            email=person.email or None)
    if not lms:
        notes = (("unknown_identity", {"who": key, "student": key}),) \
            if roster is not None else ()
        return Identity(key, None, notes)
    student_id = _clean_id(f"{intake.kind}_{intake.lms_id}")
    note = "unknown_identity" if roster is not None else "no_roster"
    return Identity(student_id, intake.name,
                    ((note, {"who": who, "student": student_id, "lms": intake.kind.title()}),))


# ----------------------------------------------------------------------------- steps


def report_source(state: State, identity: Identity) -> None:
    for key, params in identity.notes:
        state.warn(key, **params)
    for refusal in state.intake.refusals[:MAX_LISTED * 5]:
        state.warn(refusal.key, refusal.path, **dict(refusal.params))
    for key, params in state.intake.notes:
        state.warn(key, **params)
    state.entries = list(state.intake.entries)


def expand_archives(state: State) -> None:
    """Replace each zip in the submission by its checked members (two levels deep)."""
    pending = [(entry, 0) for entry in state.entries]
    result: list[Entry] = []
    while pending:
        entry, depth = pending.pop(0)
        lower = entry.name.lower()
        if lower.endswith(UNSUPPORTED_ARCHIVES):
            state.warn("archive_unsupported", entry.path)
            continue
        if not lower.endswith(".zip"):
            result.append(entry)
            continue
        if depth >= MAX_ARCHIVE_DEPTH:
            state.warn("archive_nested", entry.path)
            continue
        data = entry.read(STUDENT_LIMITS.max_archive_bytes)
        if data is None:
            state.warn("archive_too_large", entry.path,
                       limit=STUDENT_LIMITS.max_archive_bytes // 1_000_000)
            continue
        try:
            members, refusals, _archive = read_zip(data, STUDENT_LIMITS, label=str(entry.path),
                                                   prefix=entry.path.parent)
        except ArchiveError as error:
            state.warn(error.key, entry.path, **error.params)
            continue
        for refusal in refusals:
            state.warn(refusal.key, refusal.path, **dict(refusal.params))
        pending += [(member, depth + 1) for member in members]
    if len(result) > MAX_FOLDER_FILES:
        state.warn("too_many_files", "", limit=MAX_FOLDER_FILES)
        result = result[:MAX_FOLDER_FILES]
    state.entries = result


def refuse_shadowing(state: State) -> None:
    kept = []
    for entry in state.entries:
        module = names.shadows(entry.name)
        if module is None:
            kept.append(entry)
            continue
        state.refused.add(entry.path)
        if len(state.refused) <= MAX_LISTED:
            if module == ".pth":
                state.warn("refused_pth", entry.path)
            else:
                state.warn("refused_shadowing", entry.path, module=module)
    state.entries = kept


def module_docstring(text: str) -> str | None:
    """The module docstring, read without running the code (None when it does not parse)."""
    try:
        return ast.get_docstring(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _local_modules(assignment: Assignment) -> set[str]:
    """Module names the assignment's own files provide (``ex_02_`` stands for a prefix)."""
    found = set()
    for expected in assignment.modules:
        stem = expected.name[:-3] if expected.name.endswith(".py") else expected.name
        found.add(stem.split("{student_id}")[0] if "{student_id}" in stem else stem)
    return found


def match_files(state: State) -> None:
    """Find each expected file, read it, and record module names and warnings."""
    submission, assignment = state.submission, state.assignment
    for expected in assignment.files:
        if expected.module:
            submission.modules[expected.module] = None
        found = names.candidates(expected, [e for e in state.entries
                                            if e.path not in state.used])
        if not found:
            if not expected.optional:
                state.warn("missing_file", expected.name_for(submission.student_id))
            continue
        best = found[0]
        state.used.update(match.entry.path for match in found)
        if len(found) > 1:
            state.warn("several_candidates", best.entry.path,
                       others=", ".join(str(m.entry.path) for m in found[1:MAX_LISTED]))
        written = names.written_id(expected, best.entry.name, submission.student_id)
        if written is not None and written.casefold() != submission.student_id.casefold():
            state.warn("id_mismatch", best.entry.name, written=written,
                       student=submission.student_id)
        target = names.graded_name(expected, submission.student_id, written)
        if best.renamed:
            state.warn("renamed", best.entry.path, expected=target)
        _read_one(state, expected, best, target)


def _read_one(state: State, expected: ExpectedFile, best: names.Match, target: str) -> None:
    submission, path = state.submission, best.entry.path
    limit = MAX_NOTEBOOK_BYTES if best.notebook else MAX_FILE_BYTES
    data = best.entry.read(limit)
    if data is None:
        state.warn("too_large", path, limit=limit // 1000)
        return
    decoded = decode_text(data)
    if decoded is None:
        state.warn("undecodable", path)
        return
    if decoded.converted:
        state.warn("reencoded", path, encoding=decoded.encoding)
        state.converted.append(f"{path}: {decoded.encoding} -> utf-8")
    owns_discussion = "{student_id}" in expected.name
    if expected.kind == "discussion":
        submission.discussion = decoded.text
        return
    if not expected.module:
        return
    text = decoded.text
    if best.notebook:
        try:
            conversion = notebook.convert(text, best.entry.name, _local_modules(state.assignment))
        except notebook.NotebookError as error:
            state.warn("notebook_unreadable", path, detail=str(error))
            return
        state.warn("notebook_converted", path, module=target, cells=conversion.code_cells,
                   moved=conversion.moved, commented=conversion.commented,
                   removed=", ".join(conversion.removed) or "-")
        for cell, line, message in conversion.dropped:
            state.warn("notebook_cell_dropped", path, cell=cell, line=line, error=message)
        state.converted.append(f"{path}: notebook -> {target}")
        text = conversion.source
        if submission.discussion is None and owns_discussion and conversion.markdown:
            submission.discussion = conversion.markdown
    else:
        text = declare_utf8(text)
        if submission.discussion is None and owns_discussion:
            submission.discussion = module_docstring(text)
    submission.files[target] = text.encode("utf-8")
    submission.modules[expected.module] = target[:-3]


def report_ignored(state: State) -> None:
    extra = [e.path for e in state.entries if e.path not in state.used
             and e.path.suffix in (".py", ".ipynb")]
    if extra:
        state.warn("ignored_files", ", ".join(str(path) for path in extra[:MAX_LISTED]))


def assess_lateness(state: State) -> None:
    intake, submission = state.intake, state.submission
    if submission.nothing_submitted:
        return
    policy = state.assignment.late
    when = late.aware(intake.submitted_at, policy)
    if when is not None:
        submission.submitted_at = when.isoformat()
    record, notes = late.assess(policy, when, max_points=state.assignment.max_points,
                                time_source=intake.time_source, lms=intake.kind.title(),
                                lms_late=intake.lms_late)
    submission.late = record
    for key, params in notes:
        state.warn(key, **params)


def describe_source(state: State) -> None:
    intake = state.intake
    info = {"kind": intake.kind, "label": intake.label, **intake.info}
    if intake.lms_id:
        info["lms_id"] = intake.lms_id
    if intake.name:
        info["lms_name"] = intake.name
    if intake.lms_late:
        info["lms_late"] = True
    if state.converted:
        info["converted"] = list(state.converted)
    state.submission.source_info = info


def collect_answers(state: State) -> None:
    """The 考察 answers per question (the manifest's [[questions]]), for the TA's pages."""
    state.submission.untagged = untagged_text(state.submission.discussion,
                                              state.assignment.questions)
    state.submission.answers = parse_answers(state.submission.discussion,
                                             state.assignment.questions)


STEPS: tuple[Callable[[State], None], ...] = (
    expand_archives, refuse_shadowing, match_files, report_ignored, collect_answers,
    assess_lateness, describe_source)


def build(intake: Intake, assignment: Assignment, identity: Identity) -> Submission:
    """One student's submission, through every step."""
    submission = Submission(assignment=assignment.name, student_id=identity.student_id,
                            source=intake.label, student_name=identity.name,
                            student_email=identity.email)
    state = State(intake, assignment, submission)
    report_source(state, identity)
    for step in STEPS:
        step(state)
    return submission
