"""Manual adjustments: parsed strictly, stored with who/why/when, counted exactly once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from grader.adjustments import Adjustment, AdjustmentError, parse
from grader.results import IngestFacts, Lateness
from grader.gradebook import SCHEMA_VERSION, Gradebook, GradebookError, import_file
from grader.grades import grade, grades
from grader.bench.synthetic import outcome, result

CSV = """student_id,assignment,points,waive_late_penalty,reason,by
s1,a1,3,,考察: 学習率の比較が丁寧,yamada
s2,a1,,yes,病欠 (診断書あり),
"""

TOML = """by = "suzuki"
[[adjustment]]
student_id = "s1"
assignment = "a1"
points = -1.5
reason = "図の軸ラベルがない"
"""


def late(student: str, points: float, penalty: float, status: str = "graded"):
    outcomes = (outcome("t.py::test_a", "passed" if points else "failed", 10.0),)
    return result(student, outcomes, status=status,
                  facts=IngestFacts(late=Lateness(deadline="2026-05-01T00:00:00+09:00",
                                                  submitted_at="2026-05-02T00:00:00+09:00",
                                                  days_late=1, penalty=penalty,
                                                  policy="1/day")))


def book_with(tmp_path: Path, *results) -> Gradebook:
    book = Gradebook(tmp_path / "g.sqlite")
    for one in results:
        book.record(one)
    return book


def test_parse_csv_and_toml() -> None:
    entries = parse(CSV.encode(), "adj.csv", default_by="me")
    assert entries == [
        Adjustment("s1", "a1", reason="考察: 学習率の比較が丁寧", by="yamada", points=3.0),
        Adjustment("s2", "a1", reason="病欠 (診断書あり)", by="me", waive_late_penalty=True)]
    assert parse(TOML.encode(), "adj.toml", "me") == [
        Adjustment("s1", "a1", reason="図の軸ラベルがない", by="suzuki", points=-1.5)]
    # Excel's byte-order mark is fine.
    assert len(parse(b"\xef\xbb\xbf" + CSV.encode(), "adj.csv", "me")) == 2


@pytest.mark.parametrize("text, problem", [
    ("student_id,assignment,points\ns1,a1,3\n", r"missing column\(s\) reason"),
    ("student_id,assignment,points,reason\ns1,a1,three,why\n", "line 2: points must be"),
    ("student_id,assignment,points,reason\ns1,a1,3,\n", "line 2: reason is empty"),
    ("student_id,assignment,points,reason\ns1,a1,0,why\n", "neither points nor"),
    ("student_id,assignment,points,reason\ns1,a1,nan,why\n", "finite"),
    ("student_id,assignment,waive_late_penalty,reason\ns1,a1,maybe,why\n", "yes or no"),
])
def test_bad_files_say_where(text: str, problem: str) -> None:
    with pytest.raises(AdjustmentError, match=problem):
        parse(text.encode(), "adj.csv", "me")


def test_final_grade_terms() -> None:
    on_time = result("s0", (outcome("t.py::a", points=4.0), outcome("t.py::b", "failed")))
    assert grade(on_time).final == 4.0 and not grade(on_time).changed
    penalised = late("s1", 10.0, 2.5)
    assert grade(penalised).final == 7.5 and grade(penalised).points == 10.0
    waiver = Adjustment("s1", "a1", reason="ill", by="t", waive_late_penalty=True)
    bonus = Adjustment("s1", "a1", reason="discussion", by="t", points=2.0)
    other = Adjustment("s9", "a1", reason="someone else", by="t", points=50.0)
    both = grade(penalised, [waiver, bonus, other])
    assert (both.final, both.applied_penalty, both.adjustment) == (12.0, 0.0, 2.0)
    assert both.penalty_waived and both.late_penalty == 2.5
    # A penalty never makes a grade negative; a grader error has no grade at all.
    assert grade(late("s2", 0.0, 5.0)).final == 0.0
    broken = result("s3", status="error", error="boom", max_points=10.0)
    assert grade(broken, [Adjustment("s3", "a1", reason="r", by="t", points=1.0)]).final is None
    missing = result("s4", status="missing", max_points=10.0)
    assert grade(missing, [Adjustment("s4", "a1", reason="by mail", by="t", points=6.0)]
                 ).final == 6.0


def test_importing_twice_counts_once(tmp_path: Path) -> None:
    book = book_with(tmp_path, late("s1", 10.0, 0.0), late("s2", 10.0, 2.0))
    path = tmp_path / "discussion.csv"
    path.write_text(CSV, encoding="utf-8")
    first = import_file(book, path, by="yamada")
    again = import_file(book, path, by="yamada")
    assert (first.outcome, again.outcome) == ("added", "unchanged")
    assert len(book.adjustments()) == 2
    final = grades(book.current(), book.adjustments())
    assert final[("s1", "a1")].final == 13.0 and final[("s2", "a1")].final == 10.0
    # An edited file replaces its earlier version; the old import stays on record.
    path.write_text(CSV.replace(",3,", ",4,"), encoding="utf-8")
    assert import_file(book, path, by="yamada").outcome == "replaced"
    final = grades(book.current(), book.adjustments())
    assert final[("s1", "a1")].final == 14.0
    imports = book.adjustment_imports()
    assert len(imports) == 2 and imports[0]["replaced_at"] and not imports[1]["replaced_at"]
    assert all(i["imported_by"] == "yamada" and i["imported_at"] for i in imports)
    # A copy under another name would count twice: refused.
    copy = tmp_path / "copy.csv"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(AdjustmentError, match="already imported as 'discussion.csv'"):
        import_file(book, copy)
    assert len(book.adjustments()) == 2
    stored = book.adjustments()[0]
    assert (stored.by, stored.source) == ("yamada", "discussion.csv") and stored.imported_at
    book.close()


def test_unknown_students_are_kept_and_reported(tmp_path: Path) -> None:
    book = book_with(tmp_path, late("s1", 10.0, 0.0))
    path = tmp_path / "a.toml"
    path.write_text(TOML.replace('"s1"', '"s7"'), encoding="utf-8")
    summary = import_file(book, path)
    assert summary.unknown == (("s7", "a1"),) and len(book.adjustments()) == 1
    book.close()


def test_a_version_1_gradebook_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Gradebook(path) as book:
        book.record(late("s1", 10.0, 1.0))
    # Make it look like a gradebook written before adjustments existed.
    db = sqlite3.connect(path)
    db.execute("DROP TABLE adjustments")
    db.execute("DROP TABLE adjustment_imports")
    db.execute("UPDATE meta SET value='1' WHERE key='schema'")
    db.commit()
    db.close()
    with Gradebook(path) as book:
        assert book.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] \
            == str(SCHEMA_VERSION)
        assert [r.student_id for r in book.current()] == ["s1"]  # results untouched
        assert book.adjustments() == []
        (tmp_path / "x.csv").write_text(CSV, encoding="utf-8")
        assert import_file(book, tmp_path / "x.csv").outcome == "added"


def test_a_newer_gradebook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Gradebook(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(GradebookError, match="newer grader"):
        Gradebook(path)
