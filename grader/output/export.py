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

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from grader import __version__, i18n
from grader.errors import UserError
from grader.adjustments import Adjustment
from grader.grades import Grade
from grader.grades import grades as compute_grades
from grader.gradebook import Gradebook
from grader.paths import safe_name
from grader.results import JobResult, JobStatus, Status

FORMATS = ("csv", "moodle", "canvas", "gradescope")
CSV_COLUMNS = ("student_id", "assignment", "points", "max_points", "status", "late_penalty",
               "adjustment", "grade")
MOODLE_COLUMNS = ("Identifier", "Full name", "Email address", "Status", "Grade",
                  "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                  "Last modified (grade)", "Feedback comments")
MOODLE_PARTICIPANT = "Participant "
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "Points Possible"
GRADESCOPE_HIDDEN_VISIBILITY = "after_due_date"


class ExportError(UserError):
    """The export cannot be made as asked (the message says why)."""


def format_points(value: float | None) -> str:
    """``12.0`` -> ``12``, ``7.5`` -> ``7.5``, None -> empty: exact, no float noise."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _write_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def _sorted(results: Iterable[JobResult]) -> list[JobResult]:
    return sorted(results, key=lambda r: (r.student_id, r.assignment))


# ----------------------------------------------------------------------------- csv


def csv_text(results: list[JobResult], adjustments: Iterable[Adjustment] = ()) -> str:
    grades = compute_grades(results, adjustments)
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for result in _sorted(results):
        grade = grades[(result.student_id, result.assignment)]
        rows.append([result.student_id, result.assignment, format_points(result.points),
                     format_points(result.max_points), result.status,
                     format_points(grade.applied_penalty), format_points(grade.adjustment),
                     format_points(grade.final)])
    return _write_csv(rows)


# ----------------------------------------------------------------------------- summaries


def feedback_text(grade: Grade, lang: str) -> str:
    """One line a student reads in the LMS: the terms of the final grade."""
    def t(key: str, **params: object) -> str:
        return i18n.text(key, lang, **params)

    if grade.status == JobStatus.MISSING:
        return t("report.no_submission")
    if grade.status == JobStatus.ERROR:
        return t("report.grader_error_student")
    parts = [f"{t('report.test_points')} {format_points(grade.points)}"
             f"/{format_points(grade.max_points)}"]
    if grade.late_penalty:
        waived = f" {t('report.penalty_waived')}" if grade.penalty_waived else ""
        parts.append(f"{t('report.late_penalty')} -{format_points(grade.late_penalty)}{waived}")
    for adjustment in grade.adjustments:
        if adjustment.points:
            parts.append(f"{t('report.adjustment')} {adjustment.points:+g} ({adjustment.reason})")
        elif adjustment.waive_late_penalty:
            parts.append(f"{t('report.waive')} ({adjustment.reason})")
    parts.append(f"{t('report.final')} {format_points(grade.final)}")
    return "; ".join(parts)


def _one_assignment(results: list[JobResult], assignment: str | None, fmt: str) -> str:
    names = sorted({r.assignment for r in results})
    if assignment:
        if assignment not in names:
            raise ExportError(f"no results for assignment {assignment!r} in the gradebook")
        return assignment
    if len(names) != 1:
        raise ExportError(f"the {fmt} export is for one assignment: add --assignment "
                          f"(one of {', '.join(names) or 'none'})")
    return names[0]


# ----------------------------------------------------------------------------- templates


def _read_template(template: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = template.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ExportError(f"cannot read {template}: {error}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ExportError(f"{template} is empty")
    return rows[0], rows[1:]


def _id_keys(value: str) -> set[str]:
    """The ways a cell can name a student: as is, without "Participant ", e-mail local part."""
    value = value.strip()
    keys = {value}
    if value.startswith(MOODLE_PARTICIPANT.strip()):
        keys.add(value[len(MOODLE_PARTICIPANT.strip()):].strip())
    if "@" in value:
        keys.add(value.split("@", 1)[0])
    return {key for key in keys if key}


def _match_column(header: list[str], rows: list[list[str]], ids: set[str],
                  candidates: Iterable[str] | None = None) -> int:
    """Index of the column whose cells name the most of ``ids``."""
    best, best_count = -1, 0
    for index, name in enumerate(header):
        if candidates is not None and name not in candidates:
            continue
        count = sum(1 for row in rows if index < len(row) and _id_keys(row[index]) & ids)
        if count > best_count:
            best, best_count = index, count
    if best < 0:
        raise ExportError("no column of the template names any student in the gradebook")
    return best


def _student_for(cell: str, ids: set[str]) -> str | None:
    found = sorted(_id_keys(cell) & ids)
    return found[0] if found else None


# ----------------------------------------------------------------------------- moodle


def moodle_text(results: list[JobResult], adjustments: Iterable[Adjustment] = (), *,
                assignment: str | None = None, template: Path | None = None,
                lang: str = "ja", now: dt.datetime | None = None) -> str:
    name = _one_assignment(results, assignment, "moodle")
    own = [r for r in _sorted(results) if r.assignment == name]
    grades = compute_grades(own, adjustments)
    by_id = {r.student_id: grades[(r.student_id, r.assignment)] for r in own}
    if template is not None:
        header, rows = _read_template(template)
        if "Grade" in header:
            grade_column = header.index("Grade")
        else:  # Moodle in another language: the grade column follows the identity columns.
            raise ExportError(f"{template} has no 'Grade' column; download the worksheet "
                              "with Moodle set to English, or rename the column")
        id_column = _match_column(header, rows, set(by_id))
        feedback_column = header.index("Feedback comments") \
            if "Feedback comments" in header else None
        for row in rows:
            row.extend([""] * (len(header) - len(row)))
            student = _student_for(row[id_column], set(by_id))
            if student is None:
                continue
            grade = by_id[student]
            row[grade_column] = format_points(grade.final)
            if feedback_column is not None:
                row[feedback_column] = feedback_text(grade, lang)
        return _write_csv([header, *rows])
    stamp = (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    rows_out: list[list[object]] = [list(MOODLE_COLUMNS)]
    for result in own:
        grade = by_id[result.student_id]
        rows_out.append([
            MOODLE_PARTICIPANT + result.student_id,
            result.facts.student_name or "",
            result.facts.email or "",
            result.status, format_points(grade.final), format_points(result.max_points),
            "Yes", result.submitted_at or "", stamp, feedback_text(grade, lang)])
    return _write_csv(rows_out)


# ----------------------------------------------------------------------------- canvas


def _canvas_column(header: list[str], assignment: str) -> int | None:
    for index, name in enumerate(header):
        if name == assignment or name.startswith(assignment + " ("):
            return index
    return None


def canvas_text(results: list[JobResult], adjustments: Iterable[Adjustment] = (), *,
                template: Path | None = None) -> str:
    grades = compute_grades(results, adjustments)
    names = sorted({r.assignment for r in results})
    maxima = {name: max(r.max_points for r in results if r.assignment == name)
              for name in names}
    students = sorted({r.student_id for r in results})
    if template is not None:
        header, rows = _read_template(template)
        if len(header) < 4 or "Student" not in header[0] or "ID" not in header[1]:
            raise ExportError(f"{template} does not look like a Canvas gradebook export "
                              "(first columns: Student, ID, ...)")
        columns = {}
        for name in names:
            index = _canvas_column(header, name)
            if index is None:
                header.append(name)
                index = len(header) - 1
            columns[name] = index
        body = [row for row in rows if row and "Points Possible" not in row[0]]
        id_column = _match_column(header, body, set(students),
                                  candidates=("SIS User ID", "SIS Login ID", "ID", "Student"))
        for row in rows:
            row.extend([""] * (len(header) - len(row)))
            if row[0] and CANVAS_POINTS_ROW in row[0]:
                for name, index in columns.items():
                    row[index] = row[index] or format_points(maxima[name])
                continue
            student = _student_for(row[id_column], set(students))
            if student is None:
                continue
            for name, index in columns.items():
                grade = grades.get((student, name))
                if grade is not None:
                    row[index] = format_points(grade.final)
        return _write_csv([header, *rows])
    out: list[list[object]] = [[*CANVAS_COLUMNS, *names],
                               [f"    {CANVAS_POINTS_ROW}", "", "", "", "",
                                *(format_points(maxima[n]) for n in names)]]
    for student in students:
        own = {r.assignment: r for r in results if r.student_id == student}
        display = next((r.facts.student_name for r in own.values()
                        if r.facts.student_name), student)
        out.append([display, "", student, student, "",
                    *(format_points(grades[(student, n)].final) if n in own else ""
                      for n in names)])
    return _write_csv(out)


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
    for result in _sorted(results):
        if result.status == JobStatus.ERROR:
            continue
        grade = grades[(result.student_id, result.assignment)]
        path = f"{safe_name(result.assignment)}/{safe_name(result.student_id)}/results.json"
        files[path] = json.dumps(gradescope_results(result, grade, lang), ensure_ascii=False,
                                 indent=1) + "\n"
    return files


# ----------------------------------------------------------------------------- files


def write_downloads(results: list[JobResult], adjustments: Iterable[Adjustment],
                    directory: Path, lang: str = "ja") -> list[tuple[str, dict, Path]]:
    """The dashboard's downloads: (message key, parameters, path) of each file written."""
    adjustments = list(adjustments)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, dict, Path]] = []
    path = directory / "grades.csv"
    path.write_text(csv_text(results, adjustments), encoding="utf-8")
    written.append(("report.download_grades", {}, path))
    for name in sorted({r.assignment for r in results}):
        path = directory / f"moodle-{safe_name(name)}.csv"
        path.write_text(moodle_text(results, adjustments, assignment=name, lang=lang),
                        encoding="utf-8")
        written.append(("report.download_moodle", {"assignment": name}, path))
    path = directory / "canvas.csv"
    path.write_text(canvas_text(results, adjustments), encoding="utf-8")
    written.append(("report.download_canvas", {}, path))
    path = directory / "gradescope-results.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in gradescope_files(results, adjustments, lang).items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    written.append(("report.download_gradescope", {}, path))
    return written


def export(db_path: Path, out: Path, fmt: str = "csv", assignment: str | None = None, *,
           template: Path | None = None, lang: str = "ja") -> int:
    """Write the export; returns the number of rows (files for gradescope)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    with Gradebook(db_path) as book:
        results = book.current(assignment if fmt != "moodle" else None)
        adjustments = book.adjustments()
    if fmt == "gradescope":
        files = gradescope_files(results, adjustments, lang)
        for relative, text in files.items():
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return len(files)
    if fmt == "csv":
        text = csv_text(results, adjustments)
    elif fmt == "moodle":
        text = moodle_text(results, adjustments, assignment=assignment, template=template,
                           lang=lang)
    else:
        text = canvas_text(results, adjustments, template=template)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return max(0, text.count("\n") - 1)
