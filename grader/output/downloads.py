"""The dashboard's downloads: the gradebook as CSV and every LMS export, written at once."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from grader.adjustments import Adjustment
from grader.output.canvas import canvas_text
from grader.output.export import csv_text, gradescope_files
from grader.output.moodle import moodle_text
from grader.paths import safe_name
from grader.results import JobResult


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
