"""Exports of the gradebook's current grades.

``csv``: one row per (student_id, assignment) with ``student_id, assignment, points,
max_points, status`` (status: graded, missing, error). Points are printed exactly as
stored (to 1/10000), so two runs over the same submissions give identical files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.gradebook import Gradebook
from grader.results import JobResult

CSV_COLUMNS = ("student_id", "assignment", "points", "max_points", "status")


def format_points(value: float) -> str:
    """``12.0`` -> ``12``, ``7.5`` -> ``7.5``: exact, no float noise."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def csv_text(results: list[JobResult]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in sorted(results, key=lambda r: (r.student_id, r.assignment)):
        writer.writerow([result.student_id, result.assignment, format_points(result.points),
                         format_points(result.max_points), result.status])
    return out.getvalue()


def export(db_path: Path, out: Path, fmt: str = "csv", assignment: str | None = None) -> int:
    """Write the export; returns the number of rows."""
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r} (known: csv)")
    with Gradebook(db_path) as book:
        results = book.current(assignment)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(csv_text(results), encoding="utf-8")
    return len(results)
