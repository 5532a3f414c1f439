"""A Canvas gradebook import CSV (see grader/output/export.py for the format)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from grader.adjustments import Adjustment
from grader.grades import grades as compute_grades
from grader.output.tables import (ExportError, format_points, match_column, read_template,
                                  student_for, write_csv)
from grader.results import JobResult

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "Points Possible"


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
        header, rows = read_template(template)
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
        id_column = match_column(header, body, set(students),
                                  candidates=("SIS User ID", "SIS Login ID", "ID", "Student"))
        for row in rows:
            row.extend([""] * (len(header) - len(row)))
            if row[0] and CANVAS_POINTS_ROW in row[0]:
                for name, index in columns.items():
                    row[index] = row[index] or format_points(maxima[name])
                continue
            student = student_for(row[id_column], set(students))
            if student is None:
                continue
            for name, index in columns.items():
                grade = grades.get((student, name))
                if grade is not None:
                    row[index] = format_points(grade.final)
        return write_csv([header, *rows])
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
    return write_csv(out)
