"""Exports: exactly each format's published columns, final grades, nothing counted twice."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from grader.output import export, exporter
from grader.output.downloads import write_downloads
from grader.results import IngestFacts, Lateness
from grader.adjustments import Adjustment
from grader.gradebook import Gradebook
from grader.bench.synthetic import outcome, result

# Gradescope's results.json keys (gradescope-autograders "Autograder Specifications").
GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
                  "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
                  "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
                   "output_format", "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def sample() -> tuple[list, list[Adjustment]]:
    late = IngestFacts(late=Lateness(deadline="d", submitted_at="s", days_late=1, penalty=2.0,
                                     policy="2/day"))
    results = [
        result("s1", (outcome("t.py::a", points=6.0), outcome("t.py::h", "failed", 4.0,
                                                                hidden=True, message="boom",
                                                                details="x=[1, 2]",
                                                                output="x=[1, 2]"))),
        result("s2", (outcome("t.py::a", points=6.0), outcome("t.py::h", points=4.0,
                                                                hidden=True)), facts=late),
        result("s3", status="missing", max_points=10.0),
        result("s4", status="error", error="worker died", max_points=10.0),
        result("s1", (outcome("u.py::a", points=5.0),), assignment="a2"),
    ]
    adjustments = [Adjustment("s1", "a1", reason="good discussion", by="ta", points=1.5),
                   Adjustment("s2", "a1", reason="ill", by="ta", waive_late_penalty=True)]
    return results, adjustments


def test_plain_csv() -> None:
    results, adjustments = sample()
    table = rows(export.csv_text(results, adjustments))
    assert table[0] == list(export.CSV_COLUMNS)
    assert table[1:] == [
        ["s1", "a1", "6", "10", "graded", "0", "1.5", "7.5"],
        ["s1", "a2", "5", "5", "graded", "0", "0", "5"],
        ["s2", "a1", "10", "10", "graded", "0", "0", "10"],  # penalty waived
        ["s3", "a1", "0", "10", "missing", "0", "0", "0"],
        ["s4", "a1", "0", "10", "error", "0", "0", ""]]  # no grade for a grader fault
    without = rows(export.csv_text(results))
    assert without[3] == ["s2", "a1", "10", "10", "graded", "2", "0", "8"]


def test_moodle_worksheet_columns() -> None:
    results, adjustments = sample()
    table = rows(export.moodle_text(results, adjustments, assignment="a1", lang="en"))
    assert table[0] == ["Identifier", "Full name", "Email address", "Status", "Grade",
                        "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                        "Last modified (grade)", "Feedback comments"]
    by_id = {row[0]: row for row in table[1:]}
    assert set(by_id) == {"Participant s1", "Participant s2", "Participant s3",
                          "Participant s4"}
    assert by_id["Participant s1"][4] == "7.5" and by_id["Participant s1"][5] == "10"
    assert "good discussion" in by_id["Participant s1"][9]
    assert by_id["Participant s4"][4] == ""  # Moodle skips an empty grade
    assert by_id["Participant s1"][8]  # Moodle needs "Last modified (grade)"
    with pytest.raises(export.ExportError, match="one assignment"):
        export.moodle_text(results, adjustments)


def test_moodle_fills_the_downloaded_worksheet(tmp_path: Path) -> None:
    results, adjustments = sample()
    downloaded = tmp_path / "worksheet.csv"
    downloaded.write_text(
        "\ufeffIdentifier,Full name,Email address,Status,Grade,Maximum Grade,"
        "Grade can be changed,Last modified (submission),Last modified (grade),"
        "Feedback comments\n"
        "Participant 101,Sato,s1@uni.example,Submitted,,10,Yes,\"Monday, 1 May 2026\",-,\n"
        "Participant 102,Kato,s9@uni.example,No submission,,10,Yes,-,-,\n",
        encoding="utf-8")
    table = rows(export.moodle_text(results, adjustments, assignment="a1",
                                    template=downloaded, lang="ja"))
    assert table[0][0] == "Identifier" and len(table) == 3
    assert table[1][:5] == ["Participant 101", "Sato", "s1@uni.example", "Submitted", "7.5"]
    assert "good discussion" in table[1][9]
    assert table[2][4] == ""  # a student we did not grade is left as downloaded


def test_canvas_columns_and_points_possible() -> None:
    results, adjustments = sample()
    table = rows(export.canvas_text(results, adjustments))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1", "a2"]
    assert "Points Possible" in table[1][0] and table[1][5:] == ["10", "5"]
    assert table[2] == ["s1", "", "s1", "s1", "", "7.5", "5"]
    assert table[4][5] == "0" and table[5][5] == ""  # missing: 0; grader error: blank


def test_canvas_fills_the_exported_gradebook(tmp_path: Path) -> None:
    results, adjustments = sample()
    exported = tmp_path / "canvas.csv"
    exported.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,a1 (1234),Current Score\n"
        "    Points Possible,,,,,10,(read only)\n"
        "\"Sato, Hanako\",77,s1,s1@uni,Sec A,,\n"
        "\"Kato, Jiro\",78,s2,s2@uni,Sec A,3,\n", encoding="utf-8")
    table = rows(export.canvas_text(results, adjustments, template=exported))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1 (1234)",
                        "Current Score", "a2"]
    assert table[1][7] == "5"  # points possible of the new column
    assert table[2][5] == "7.5" and table[2][7] == "5"
    assert table[3][5] == "10" and table[3][7] == ""


def test_gradescope_results_follow_the_spec() -> None:
    results, adjustments = sample()
    files = export.gradescope_files(results, adjustments, lang="en")
    assert set(files) == {"a1/s1/results.json", "a1/s2/results.json", "a1/s3/results.json",
                          "a2/s1/results.json"}  # s4: grader error, nothing to report
    document = json.loads(files["a1/s1/results.json"])
    assert set(document) <= GRADESCOPE_TOP and document["score"] == 7.5
    assert document["visibility"] in VISIBILITY and document["stdout_visibility"] == "hidden"
    for test in document["tests"]:
        assert set(test) <= GRADESCOPE_TEST
        assert {"score", "max_score", "name", "output", "visibility"} <= set(test)
        assert test["visibility"] in VISIBILITY and test["status"] in ("passed", "failed")
    hidden = document["tests"][1]
    assert hidden["visibility"] == "after_due_date" and hidden["output"] == "boom"
    assert "x=[1, 2]" not in files["a1/s1/results.json"]  # no hidden inputs
    assert json.loads(files["a1/s2/results.json"])["score"] == 10.0


def test_export_from_the_gradebook(tmp_path: Path) -> None:
    results, adjustments = sample()
    db = tmp_path / "g.sqlite"
    with Gradebook(db) as book:
        for one in results:
            book.record(one)
    assert exporter.export(db, tmp_path / "g.csv", "csv") == 5
    assert exporter.export(db, tmp_path / "gs", "gradescope") == 4
    assert (tmp_path / "gs" / "a1" / "s1" / "results.json").is_file()
    with pytest.raises(export.ExportError, match="unknown export format"):
        exporter.export(db, tmp_path / "x", "xlsx")


def test_downloads_are_deterministic(tmp_path: Path) -> None:
    results, adjustments = sample()
    first = write_downloads(results, adjustments, tmp_path / "one")
    second = write_downloads(results, adjustments, tmp_path / "two")
    for (_, _, a), (_, _, b) in zip(first, second):
        if a.suffix == ".zip":
            names = zipfile.ZipFile(a).namelist()
            assert names == zipfile.ZipFile(b).namelist() and "a1/s1/results.json" in names
            assert a.read_bytes() == b.read_bytes()
        elif "moodle" not in a.name:  # the worksheet carries the export time
            assert a.read_bytes() == b.read_bytes()


# ----------------------------------------------------------------------------- safety

HOSTILE_NAMES = ["=SUM(1+1)*cmd|'C calc'!A0", "@evil", "+1+1", "-2+3", "\tTab", "\rCR"]


def hostile_class() -> list:
    """Students whose LMS display names a spreadsheet would run, from a Moodle download."""
    return [result(f"s{i}", (outcome("t.py::a", points=2.0),),
                   facts=IngestFacts(student_name=name, source={"kind": "moodle",
                                                                "lms_id": str(1000 + i),
                                                                "lms_name": name}))
            for i, name in enumerate(HOSTILE_NAMES)]


def test_every_csv_neutralises_formulas_but_keeps_numbers_and_identifiers() -> None:
    """OWASP CSV injection: a text cell starting with = + - @ tab or CR gets a leading '.
    Numbers (a grade of -1.5) stay numbers, and LMS rows are matched by identifier."""
    results = hostile_class()
    adjustments = [Adjustment("s0", "a1", reason="=HYPERLINK(\"x\")", by="ta", points=-1.5)]
    moodle = rows(export.moodle_text(results, adjustments, assignment="a1"))
    canvas = rows(export.canvas_text(results, adjustments))
    names = {row[1] for row in moodle[1:]} | {row[0] for row in canvas[2:]}
    for name in HOSTILE_NAMES:
        assert "'" + name in names
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for table in (moodle, canvas)
                   for row in table for cell in row)
    identifiers = {row[0] for row in moodle[1:]}
    assert identifiers == {f"Participant {1000 + i}" for i in range(len(HOSTILE_NAMES))}
    grades = {row[0]: row[4] for row in moodle[1:]}
    assert grades["Participant 1000"] == "0.5"  # 2 - 1.5, a number
    feedback = rows(export.moodle_text(results, adjustments, assignment="a1"))[1][9]
    assert "=HYPERLINK" in feedback and not feedback.startswith("=")
    from grader.output.tables import safe_cell
    assert safe_cell("-1.5") == "-1.5" and safe_cell("-x") == "'-x" and safe_cell(3) == "3"


# Moodle's importer (mod/assign/feedback/file/importziplib.php,
# is_valid_filename_for_import): each path part is split on "_" into at most 5 pieces,
# fullname_participantid_plugintype_pluginname_rest; a part with fewer than 4 pieces is
# skipped; the second must be a participant id; the third and fourth name the plugin.
def moodle_import(member: str, participants: set[int]) -> tuple[int, str, str] | None:
    parts = member.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit() or int(info[1]) not in participants:
            continue
        if (info[2], info[3]) != ("assignsubmission", "file"):
            continue
        rest = info[4] if len(info) > 4 else ""
        return int(info[1]), info[0], "/".join([rest, *parts])
    return None


def test_moodle_feedback_zip_follows_moodles_importer(tmp_path: Path) -> None:
    from grader.output.moodle import feedback_zip

    results = hostile_class() + [result("yamada_taro", (outcome("t.py::a", points=2.0),),
                                        facts=IngestFacts(student_name="山田_太郎",
                                                          source={"lms_id": "2001"})),
                                 result("no_lms", (outcome("t.py::a", points=2.0),))]
    pages = {r.student_id: f"<html>{r.student_id}</html>" for r in results}
    data, left_out = feedback_zip(results, pages, assignment="a1")
    assert left_out == ["no_lms"]
    archive = zipfile.ZipFile(io.BytesIO(data))
    participants = {1000 + i for i in range(len(HOSTILE_NAMES))} | {2001}
    imported = {}
    for member in archive.namelist():
        found = moodle_import(member, participants)
        assert found is not None, member
        number, _, filename = found
        assert filename == "/report.html" or filename == "report.html"
        imported[number] = archive.read(member).decode()
    assert imported[2001] == "<html>yamada_taro</html>"
    assert "山田 太郎_2001_assignsubmission_file_/report.html" in archive.namelist()
    assert len(imported) == len(results) - 1


def test_moodle_feedback_from_a_worksheet_template(tmp_path: Path) -> None:
    from grader.output.moodle import feedback_zip

    template = tmp_path / "worksheet.csv"
    template.write_text("Identifier,Full name,ID number,Email address,Grade\n"
                        "Participant 31,Ken Ito,s1,ken@example.jp,\n", encoding="utf-8")
    results = [result("s1", (outcome("t.py::a", points=2.0),))]
    data, left_out = feedback_zip(results, {"s1": "<p>s1</p>"}, assignment="a1",
                                  template=template)
    assert left_out == []
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == [
        "Ken Ito_31_assignsubmission_file_/report.html"]


def test_moodle_feedback_export_end_to_end(tmp_path: Path) -> None:
    """The sample-class way: a gradebook, the CLI, a zip whose pages are the published
    ones (student audience: no hidden output)."""
    db = tmp_path / "gradebook.sqlite"
    with Gradebook(db) as book:
        for one in hostile_class():
            book.record(one)
    out = tmp_path / "feedback.zip"
    count = exporter.export(db, out, "moodle-feedback", "a1", lang="ja")
    assert count == len(HOSTILE_NAMES)
    names = zipfile.ZipFile(out).namelist()
    assert all(name.endswith("_assignsubmission_file_/report.html") for name in names)
