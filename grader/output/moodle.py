"""Moodle: the offline grading worksheet, and feedback files for "Upload multiple
feedback files in a zip".

Worksheet: see grader/output/export.py (``moodle``).

Feedback zip (``moodle-feedback``): each student's report page, as published (the student
audience: nothing of hidden tests' inputs, output or expected values), in a folder named
the way Moodle's own submission download names it and its feedback importer parses it
(mod/assign/feedback/file/importziplib.php, ``is_valid_filename_for_import``): every path
part is split on ``_`` into at most five pieces, ``fullname_participantid_plugintype_
pluginname_rest``; the second piece must be the participant id (Moodle's unique id for
the user in this assignment, the number in "Participant 1234567"), the third and fourth
must name a plugin of the assignment (``assignsubmission``/``file``, as in the download),
and what follows is the file's path. So a folder here is ``<Full name>_<participant>_
assignsubmission_file_/report.html``: underscores in the name are replaced (they would
shift the pieces), and the trailing ``_`` keeps both the pre-4.1 and the current importer
happy. Participant ids come from a Moodle submission download that was graded
(``IngestFacts.source["lms_id"]``) or from ``--template`` (the grading worksheet, whose
Identifier column holds them). Students without one are listed and left out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from grader.adjustments import Adjustment
from grader.grades import grades as compute_grades
from grader.output.feedback import feedback_text
from grader.output.tables import (MOODLE_PARTICIPANT, ExportError, format_points,
                                  match_column, one_assignment, read_template, sorted_results,
                                  student_for, write_csv)
from grader.results import JobResult

MOODLE_COLUMNS = ("Identifier", "Full name", "Email address", "Status", "Grade",
                  "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                  "Last modified (grade)", "Feedback comments")
FEEDBACK_PLUGIN = "assignsubmission_file"
FEEDBACK_PAGE = "report.html"


def participant_id(result: JobResult) -> str:
    """The Moodle participant number ingest read from a submission download, if any."""
    value = str(result.facts.source.get("lms_id") or "")
    return value if value.isdigit() else ""


def moodle_text(results: list[JobResult], adjustments: Iterable[Adjustment] = (), *,
                assignment: str | None = None, template: Path | None = None,
                lang: str = "ja", now: dt.datetime | None = None) -> str:
    name = one_assignment(results, assignment, "moodle")
    own = [r for r in sorted_results(results) if r.assignment == name]
    grades = compute_grades(own, adjustments)
    by_id = {r.student_id: grades[(r.student_id, r.assignment)] for r in own}
    if template is not None:
        header, rows = read_template(template)
        if "Grade" in header:
            grade_column = header.index("Grade")
        else:  # Moodle in another language: the grade column follows the identity columns.
            raise ExportError(f"{template} has no 'Grade' column; download the worksheet "
                              "with Moodle set to English, or rename the column")
        id_column = match_column(header, rows, set(by_id))
        feedback_column = header.index("Feedback comments") \
            if "Feedback comments" in header else None
        for row in rows:
            row.extend([""] * (len(header) - len(row)))
            student = student_for(row[id_column], set(by_id))
            if student is None:
                continue
            grade = by_id[student]
            row[grade_column] = format_points(grade.final)
            if feedback_column is not None:
                row[feedback_column] = feedback_text(grade, lang)
        return write_csv([header, *rows])
    stamp = (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    rows_out: list[list[object]] = [list(MOODLE_COLUMNS)]
    for result in own:
        grade = by_id[result.student_id]
        rows_out.append([
            MOODLE_PARTICIPANT + (participant_id(result) or result.student_id),
            result.facts.student_name or "",
            result.facts.email or "",
            result.status, format_points(grade.final), format_points(result.max_points),
            "Yes", result.submitted_at or "", stamp, feedback_text(grade, lang)])
    return write_csv(rows_out)


# ----------------------------------------------------------------------------- feedback zip


def _folder_name(name: str, participant: str) -> str:
    """``<name>_<participant>_assignsubmission_file_`` with the name made safe for the
    importer (no ``_``, no path separators or control characters)."""
    clean = re.sub(r"[_/\\\x00-\x1f\x7f]+", " ", name).strip() or "student"
    return f"{clean}_{participant}_{FEEDBACK_PLUGIN}_"


def template_participants(template: Path, student_ids: set[str]) -> dict[str, tuple[str, str]]:
    """student id -> (participant number, full name) from a Moodle grading worksheet."""
    header, rows = read_template(template)
    if "Identifier" not in header:
        raise ExportError(f"{template} has no 'Identifier' column: download the grading "
                          "worksheet with Moodle set to English")
    identifier = header.index("Identifier")
    name_column = header.index("Full name") if "Full name" in header else None
    id_column = match_column(header, rows, student_ids)
    found = {}
    for row in rows:
        row = row + [""] * (len(header) - len(row))  # noqa: PLW2901 - padded copy
        student = student_for(row[id_column], student_ids)
        number = row[identifier].removeprefix(MOODLE_PARTICIPANT.strip()).strip()
        if student is not None and number.isdigit():
            found[student] = (number, row[name_column] if name_column is not None else "")
    return found


def feedback_zip(results: list[JobResult], pages: dict[str, str], *, assignment: str | None,
                 template: Path | None = None) -> tuple[bytes, list[str]]:
    """The zip for Moodle's feedback upload, and the students left out (no participant id).

    ``pages`` maps student id to that student's published page (HTML).
    """
    name = one_assignment(results, assignment, "moodle-feedback")
    own = [r for r in sorted_results(results) if r.assignment == name]
    from_template = template_participants(template, {r.student_id for r in own}) \
        if template is not None else {}
    members: dict[str, str] = {}
    left_out = []
    for result in own:
        number, full_name = from_template.get(result.student_id, ("", ""))
        number = number or participant_id(result)
        if not number or result.student_id not in pages:
            left_out.append(result.student_id)
            continue
        display = full_name or str(result.facts.source.get("lms_name") or "") or \
            result.facts.student_name or result.student_id
        members[f"{_folder_name(display, number)}/{FEEDBACK_PAGE}"] = pages[result.student_id]
    if not members:
        raise ExportError("no student has a Moodle participant id: grade a Moodle "
                          "submission download, or pass --template (the grading worksheet)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, html in sorted(members.items()):
            info = zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # names are UTF-8 (Japanese names)
            archive.writestr(info, html)
    return buffer.getvalue(), left_out
