"""Manual adjustments: points for the written discussion, a late-penalty waiver, ...

An instructor keeps them in a CSV or TOML file and imports it with ``grader adjust
FILE`` (``grader.gradebook.import_file`` stores them). Each entry names the student, the
assignment, the points to add (negative to subtract), whether the late penalty is
waived, why, and who decided.

CSV (UTF-8, a header row; ``points``, ``waive_late_penalty`` and ``by`` optional)::

    student_id,assignment,points,waive_late_penalty,reason,by
    s001,02_perceptron,3,,考察: 学習率の比較が丁寧,yamada
    s002,02_perceptron,0,yes,病欠 (診断書あり),yamada

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
CSV_COLUMNS = ("student_id", "assignment", "points", "waive_late_penalty", "reason", "by")


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

    def to_dict(self) -> dict:
        return {"student_id": self.student_id, "assignment": self.assignment,
                "points": self.points, "waive_late_penalty": self.waive_late_penalty,
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


def _entry(raw: dict, default_by: str, where: str) -> Adjustment:
    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else str(value).strip()

    student, assignment, reason = text("student_id"), text("assignment"), text("reason")
    for key, value in (("student_id", student), ("assignment", assignment),
                       ("reason", reason)):
        if not value:
            raise AdjustmentError(f"{where}: {key} is empty (every adjustment needs a "
                                  "student_id, an assignment and a reason)")
    points = _points(raw.get("points"), where)
    waive = _flag(raw.get("waive_late_penalty"), where)
    if points == 0 and not waive:
        raise AdjustmentError(f"{where}: neither points nor waive_late_penalty is set")
    by = text("by") or default_by
    return Adjustment(student_id=student, assignment=assignment, reason=reason, by=by,
                      points=points, waive_late_penalty=waive)


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
        return [_entry(entry, by, f"{name} adjustment {number}")
                for number, entry in enumerate(entries, start=1)]
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in ("student_id", "assignment", "reason")
               if column not in header]
    if missing:
        raise AdjustmentError(f"{name}: missing column(s) {', '.join(missing)}; expected "
                              f"{', '.join(CSV_COLUMNS)}")
    reader.fieldnames = header
    return [_entry(row, default_by, f"{name} line {reader.line_num}")
            for row in reader if any((value or "").strip() for value in row.values()
                                     if isinstance(value, str))]
