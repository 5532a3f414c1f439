"""Exports of the gradebook's current grades (final grades from ``grader.grades``).

``csv``
    One row per (student_id, assignment): ``student_id, assignment, points, max_points,
    status, late_penalty, adjustment, grade``. ``points`` are the raw test points,
    ``grade`` the final grade (blank for a grader error). Printed exactly (to 1/10000),
    so two runs over the same submissions give identical files.

``moodle``
    Moodle's offline *grading worksheet* for one assignment, in the columns of the
    worksheet Moodle downloads (mod/assign grading table): Identifier, Full name, Email
    address, Status, Grade, Maximum Grade, Grade can be changed, Last modified
    (submission), Last modified (grade), Feedback comments. Moodle's importer
    (assignfeedback_offline) needs Identifier ("Participant <n>"), Grade and Last
    modified (grade), matched by header text in the importing user's language; it skips
    a row whose grade was changed in Moodle after "Last modified (grade)". Moodle's
    participant numbers are only known to Moodle, so the reliable way is ``--template``:
    the worksheet downloaded from Moodle, filled in place (its language, its columns,
    its dates kept). Without one, the Identifier is "Participant <student_id>", right
    when the ids are Moodle participant numbers (as in Moodle's submission downloads).

``canvas``
    A Canvas gradebook import CSV: ``Student, ID, SIS User ID, SIS Login ID, Section``,
    then one column per assignment, and a "Points Possible" row. Canvas matches a row by
    ID (Canvas user id), else SIS User ID, else SIS Login ID, else name; without
    ``--template`` the student id goes in both SIS columns. With ``--template`` (the CSV
    Canvas exports from its gradebook) the rows are matched and the assignment's column
    (the header equal to the assignment name, or "name (canvas id)") is filled; a new
    column is added when there is none.

``gradescope``
    Gradescope's autograder ``results.json`` per submission, written to
    ``<out>/<assignment>/<student>/results.json``: top-level ``score`` (the final grade,
    which overrides the sum of the tests), ``output``, ``visibility``,
    ``stdout_visibility``, ``execution_time``, ``extra_data``, and ``tests`` with
    ``score``, ``max_score``, ``status``, ``name``, ``number``, ``output``, ``tags``,
    ``visibility``, ``extra_data``. Hidden tests are ``after_due_date``; their output
    is the message only. Jobs with a grader error are not written (no score to give).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from grader import __version__
from grader.adjustments import Adjustment
from grader.grades import Grade
from grader.grades import grades as compute_grades
from grader.output.canvas import canvas_text
from grader.output.feedback import feedback_text
from grader.output.moodle import moodle_text
from grader.output.tables import (ExportError, format_points, sorted_results,
                                  write_csv)
from grader.paths import safe_name
from grader.results import JobResult, JobStatus, Status

__all__ = ["ExportError", "FORMATS", "canvas_text", "csv_text", "feedback_text",
           "format_points", "gradescope_files", "moodle_text"]

FORMATS = ("csv", "moodle", "moodle-feedback", "canvas", "gradescope")
CSV_COLUMNS = ("student_id", "assignment", "points", "max_points", "status", "late_penalty",
               "adjustment", "grade")
GRADESCOPE_HIDDEN_VISIBILITY = "after_due_date"


# ----------------------------------------------------------------------------- csv


def csv_text(results: list[JobResult], adjustments: Iterable[Adjustment] = ()) -> str:
    grades = compute_grades(results, adjustments)
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for result in sorted_results(results):
        grade = grades[(result.student_id, result.assignment)]
        rows.append([result.student_id, result.assignment, format_points(result.points),
                     format_points(result.max_points), result.status,
                     format_points(grade.applied_penalty), format_points(grade.adjustment),
                     format_points(grade.final)])
    return write_csv(rows)


# ----------------------------------------------------------------------------- gradescope


def gradescope_results(result: JobResult, grade: Grade, lang: str = "ja") -> dict:
    """The ``results.json`` of one submission (see the module docstring)."""
    tests = []
    for number, outcome in enumerate(result.outcomes, start=1):
        message = outcome.message.get(lang) or outcome.message.get("en") or ""
        output = message if outcome.status != Status.PASSED else ""
        if not outcome.hidden and outcome.status != Status.PASSED and outcome.details:
            output = f"{output}\n\n{outcome.details}".strip()
        tests.append({
            "score": outcome.earned, "max_score": outcome.points,
            "status": "passed" if outcome.status == Status.PASSED else "failed",
            "name": outcome.title.get(lang) or outcome.test_id, "number": str(number),
            "output": output, "tags": list(outcome.diagnoses),
            "visibility": GRADESCOPE_HIDDEN_VISIBILITY if outcome.hidden else "visible",
            "extra_data": {"test_id": outcome.test_id, "status": outcome.status},
        })
    return {
        "score": grade.final if grade.final is not None else 0.0,
        "execution_time": round(result.duration),
        "output": feedback_text(grade, lang),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"student_id": result.student_id, "assignment": result.assignment,
                       "status": result.status, "test_points": result.points,
                       "late_penalty": grade.applied_penalty,
                       "adjustment": grade.adjustment, "grader": f"nn-grader {__version__}"},
        "tests": tests,
    }


def gradescope_files(results: list[JobResult], adjustments: Iterable[Adjustment] = (),
                     lang: str = "ja") -> dict[str, str]:
    """Relative path -> results.json text, for every gradable submission."""
    grades = compute_grades(results, adjustments)
    files = {}
    for result in sorted_results(results):
        if result.status == JobStatus.ERROR:
            continue
        grade = grades[(result.student_id, result.assignment)]
        path = f"{safe_name(result.assignment)}/{safe_name(result.student_id)}/results.json"
        files[path] = json.dumps(gradescope_results(result, grade, lang), ensure_ascii=False,
                                 indent=1) + "\n"
    return files
