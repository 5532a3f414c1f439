"""Manual adjustments: points for the written discussion, a late-penalty waiver, ...

An instructor keeps them in a CSV or TOML file and imports it with ``grader adjust
FILE`` (``grader.gradebook.import_file`` stores them). Each entry names the student, the
assignment, the points to add (negative to subtract), whether the late penalty is
waived, why, and who decided.

CSV (UTF-8, a header row; ``points``, ``waive_late_penalty``, ``question`` and ``by``
optional; other columns are ignored)::

    student_id,assignment,points,waive_late_penalty,reason,by
    s001,02_perceptron,3,,考察: 学習率の比較が丁寧,yamada
    s002,02_perceptron,0,yes,病欠 (診断書あり),yamada

Points for one written question (the manifest's ``[[questions]]``) name it in
``question``: such a row may give 0 points (graded, nothing earned), needs no reason
(``考察 [id]`` by default) and is skipped while its points cell is blank, so the CSV
``grader report`` prefills for each question (``reports/discussion/``) can be imported
half-graded and again when finished. Each (student, assignment, question) is graded
once: by one row of one file (:func:`check_questions`, and the gradebook across files),
with points between 0 and the question's.

TOML (``by`` at the top is the default for every entry)::

    by = "yamada"
    [[adjustment]]
    student_id = "s001"
    assignment = "02_perceptron"
    points = 3
    reason = "考察: 学習率の比較が丁寧"

Importing is idempotent: a file is identified by its name (its *source*), and importing
it again replaces that source's earlier entries instead of adding to them (an unchanged
file is a no-op; the replaced import stays in the gradebook's history). The same content
under a second name is refused, so a copied file cannot count twice.
"""

from __future__ import annotations

import csv
import io
import math
import tomllib
from dataclasses import dataclass
from typing import Any

from grader.errors import UserError

TRUE_WORDS = {"1", "true", "yes", "y", "x", "waive", "waived", "はい", "○", "✓"}
FALSE_WORDS = {"", "0", "false", "no", "n", "いいえ"}
CSV_COLUMNS = ("student_id", "assignment", "question", "points", "waive_late_penalty",
               "reason", "by")


class AdjustmentError(UserError):
    """The adjustments file cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class Adjustment:
    """One manual change to a student's grade for one assignment."""

    student_id: str
    assignment: str
    reason: str
    """Why (shown to the student in the report)."""
    by: str
    """Who decided it."""
    points: float = 0.0
    """Added to the grade (negative subtracts)."""
    waive_late_penalty: bool = False
    source: str = ""
    """The file (by name) it was imported from."""
    imported_at: str = ""
    question: str = ""
    """The written question (考察) these points are for, or "" for anything else."""

    def to_dict(self) -> dict:
        return {"student_id": self.student_id, "assignment": self.assignment,
                "question": self.question, "points": self.points,
                "waive_late_penalty": self.waive_late_penalty,
                "reason": self.reason, "by": self.by, "source": self.source,
                "imported_at": self.imported_at}


def _flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value if value is not None else "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise AdjustmentError(f"{where}: waive_late_penalty must be yes or no, not {value!r}")


def _points(value: Any, where: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    try:
        number = float(str(value).strip().replace("＋", "+").replace("−", "-"))
    except ValueError:
        raise AdjustmentError(f"{where}: points must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise AdjustmentError(f"{where}: points must be a finite number, not {value!r}")
    return round(number, 4)


def _entry(raw: dict, default_by: str, where: str) -> Adjustment | None:
    """One entry, or None for a question row not graded yet (blank points)."""
    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else str(value).strip()

    student, assignment, question = text("student_id"), text("assignment"), text("question")
    if question and not text("points"):
        return None
    reason = text("reason") or (f"考察 [{question}]" if question else "")
    for key, value in (("student_id", student), ("assignment", assignment),
                       ("reason", reason)):
        if not value:
            raise AdjustmentError(f"{where}: {key} is empty (every adjustment needs a "
                                  "student_id, an assignment and a reason)")
    points = _points(raw.get("points"), where)
    waive = _flag(raw.get("waive_late_penalty"), where)
    if points == 0 and not waive and not question:
        raise AdjustmentError(f"{where}: neither points nor waive_late_penalty is set")
    by = text("by") or default_by
    return Adjustment(student_id=student, assignment=assignment, reason=reason, by=by,
                      points=points, waive_late_penalty=waive, question=question)


def check_questions(entries: list[Adjustment], known: dict[str, dict[str, float]]) -> None:
    """Question points name a question of the assignment (when the course declares the
    assignment's questions: ``known`` maps assignment -> question id -> most points),
    stay within 0..its points, and grade each (student, assignment, question) once."""
    seen: set[tuple[str, str, str]] = set()
    for entry in entries:
        if not entry.question:
            continue
        pair = (entry.student_id, entry.assignment, entry.question)
        if pair in seen:
            raise AdjustmentError(f"{entry.student_id} / {entry.assignment}: question "
                                  f"{entry.question!r} is graded twice in this file")
        seen.add(pair)
        asked = known.get(entry.assignment)
        if asked is None:
            continue
        if entry.question not in asked:
            raise AdjustmentError(
                f"{entry.student_id} / {entry.assignment}: no question {entry.question!r} "
                f"(the assignment asks {', '.join(sorted(asked)) or 'none'})")
        if not 0 <= entry.points <= asked[entry.question]:
            raise AdjustmentError(
                f"{entry.student_id} / {entry.assignment}: question {entry.question!r} "
                f"gives 0 to {asked[entry.question]:g} points, not {entry.points:g}")


def parse(data: bytes, name: str, default_by: str) -> list[Adjustment]:
    """Entries of one adjustments file (``.toml``, else CSV); raises AdjustmentError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AdjustmentError(f"{name} is not UTF-8 text (save it as UTF-8)") from None
    if name.lower().endswith(".toml"):
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise AdjustmentError(f"{name}: {error}") from None
        by = str(document.get("by", "")).strip() or default_by
        entries = document.get("adjustment", [])
        if not isinstance(entries, list):
            raise AdjustmentError(f"{name}: use [[adjustment]] tables")
        found = [_entry(entry, by, f"{name} adjustment {number}")
                 for number, entry in enumerate(entries, start=1)]
        return [entry for entry in found if entry is not None]
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in ("student_id", "assignment", "reason")
               if column not in header]
    if missing:
        raise AdjustmentError(f"{name}: missing column(s) {', '.join(missing)}; expected "
                              f"{', '.join(CSV_COLUMNS)}")
    reader.fieldnames = header
    rows = [_entry(row, default_by, f"{name} line {reader.line_num}")
            for row in reader if any((value or "").strip() for value in row.values()
                                     if isinstance(value, str))]
    return [row for row in rows if row is not None]
