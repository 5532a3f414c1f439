"""CSV tables for spreadsheets and LMS imports: written safely, matched to LMS templates.

Every CSV the grader writes goes through :func:`write_csv`, which neutralises cells a
spreadsheet would run as a formula (OWASP "CSV injection"): a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so a student
whose LMS display name is ``=SUM(1+1)*cmd|' /C calc'!A0`` appears as text when a TA opens
the file in Excel. Numbers (``-1.5``) are left alone, so grades and points import as
numbers; LMSs match rows by identifier (``Participant 123``, a user id), never by name,
so a neutralised name does not break a re-import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from grader.errors import UserError
from grader.results import JobResult

MOODLE_PARTICIPANT = "Participant "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


class ExportError(UserError):
    """The export cannot be made as asked (the message says why)."""


def format_points(value: float | None) -> str:
    """``12.0`` -> ``12``, ``7.5`` -> ``7.5``, None -> empty: exact, no float noise."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def safe_cell(value: object) -> str:
    """The cell as text, with a leading ``'`` when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[Iterable[object]]) -> str:
    """RFC 4180 text (CRLF line ends, so a cell holding a line break is quoted)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def sorted_results(results: Iterable[JobResult]) -> list[JobResult]:
    return sorted(results, key=lambda r: (r.student_id, r.assignment))


def one_assignment(results: list[JobResult], assignment: str | None, fmt: str) -> str:
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


def read_template(template: Path) -> tuple[list[str], list[list[str]]]:
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


def match_column(header: list[str], rows: list[list[str]], ids: set[str],
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


def student_for(cell: str, ids: set[str]) -> str | None:
    found = sorted(_id_keys(cell) & ids)
    return found[0] if found else None
