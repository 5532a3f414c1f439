"""``grader export``: read the gradebook and write one export (formats in
grader/output/export.py; Moodle's worksheet and feedback zip in grader/output/moodle.py).

This is the command's own module: it may use the publishing machinery (the Moodle
feedback zip holds the students' published pages, checked for leaks like a publication),
which the format modules never import.
"""

from __future__ import annotations

import sys
from pathlib import Path

from grader.adjustments import Adjustment
from grader.gradebook import Gradebook
from grader.output.canvas import canvas_text
from grader.output.export import FORMATS, csv_text, gradescope_files
from grader.output.leaks import PublishRefused, find_leaks
from grader.output.moodle import FEEDBACK_PAGE, feedback_zip, moodle_text
from grader.output.publish import student_pages
from grader.output.report.render import load_catalogue
from grader.output.tables import ExportError, one_assignment
from grader.results import JobResult


def export(db_path: Path, out: Path, fmt: str = "csv", assignment: str | None = None, *,
           template: Path | None = None, lang: str = "ja", course: object | None = None) -> int:
    """Write the export; returns the number of rows (files for gradescope, reports for
    moodle-feedback)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    with Gradebook(db_path) as book:
        results = book.current(assignment if not fmt.startswith("moodle") else None)
        adjustments = book.adjustments()
    if fmt == "moodle-feedback":
        return _moodle_feedback(results, adjustments, out, assignment, template, lang, course)
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


def _moodle_feedback(results: list[JobResult], adjustments: list[Adjustment], out: Path,
                     assignment: str | None, template: Path | None, lang: str,
                     course: object | None) -> int:
    """The students' published pages, checked for leaks, zipped for Moodle."""
    name = one_assignment(results, assignment, "moodle-feedback")
    own = [r for r in results if r.assignment == name]
    pages = student_pages(own, lang, adjustments=adjustments,
                          catalogue=load_catalogue(course, {name}))
    leaks = find_leaks(pages, own, course, label=lambda s: f"{s}/{FEEDBACK_PAGE}")
    if leaks:
        raise PublishRefused(leaks)
    data, left_out = feedback_zip(own, pages, assignment=name, template=template)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    if left_out:
        print(f"no Moodle participant id for {len(left_out)} student(s), left out: "
              f"{', '.join(left_out[:10])}" + (" ..." if len(left_out) > 10 else ""),
              file=sys.stderr)
    return len(own) - len(left_out)
