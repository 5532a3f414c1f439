"""Published folders: one per student, unguessable but stable names, nothing of others."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from grader.adjustments import Adjustment
from grader.results import IngestFacts
from grader.output.publish import (
    PAGE_NAME,
    folder_name,
    is_folder_name,
    load_or_create_key,
    map_path,
    publish,
)
from grader.bench.synthetic import curve, outcome, result, script_png

KEY = bytes(range(32))


def klass() -> list:
    def one(student: str, name: str, secret: str) -> object:
        return result(student, (
            outcome("t.py::test_a", "failed", message=f"{secret}-message",
                    output=f"{secret}-public-output"),
            outcome("h.py::test_b", "failed", hidden=True, message="expected 2.0",
                    details=f"{secret}-hidden-details", output=f"{secret}-hidden-input"),
            outcome("h.py::test_c", hidden=True,
                    artifacts=(curve("fit", [3.0, 2.0, 1.0], [3.0, 1.5, 0.5]),
                               {"kind": "image", "name": "f.png", "png_base64": script_png(),
                                "title": {"ja": "図", "en": "figure"}}))),
            facts=IngestFacts(student_name=name, discussion=f"{secret}-discussion"),
            output=f"{secret}-stray-output")
    return [one("b2400123", "Hanako Sato", "ALPHA"), one("b2400456", "Jiro Kato", "BRAVO"),
            result("b2400789", status="missing", max_points=3.0,
                   facts=IngestFacts(student_name="Ken Ito")),
            result("b2400999", status="error", error="worker died at /srv/reference/x.py",
                   max_points=3.0)]


def test_one_folder_per_student_with_only_their_page(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    adjustments = [Adjustment("b2400123", "a1", reason="丁寧な考察", by="ta", points=2.0)]
    published = publish(klass(), out, KEY, "ja", adjustments=adjustments)
    assert [p.student_id for p in published] == ["b2400123", "b2400456", "b2400789",
                                                 "b2400999"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.folder for p in published)
    others = {"b2400123": ["b2400456", "b2400789", "b2400999", "Jiro Kato", "BRAVO",
                           "Ken Ito"],
              "b2400456": ["b2400123", "Hanako Sato", "ALPHA", "丁寧な考察"]}
    for entry in published:
        files = list((out / entry.folder).iterdir())
        assert [f.name for f in files] == [PAGE_NAME]
        page = files[0].read_text("utf-8")
        assert entry.student_id in page
        for word in others.get(entry.student_id, []):
            assert word not in page, (entry.student_id, word)
        assert "index.html" not in page and "/srv/reference" not in page
        assert "hidden-input" not in page and "hidden-details" not in page
    alpha = (out / published[0].folder / PAGE_NAME).read_text("utf-8")
    for expected in ("ALPHA-message", "ALPHA-public-output", "ALPHA-discussion",
                     "expected 2.0", "<svg", "data:image/png;base64,", "丁寧な考察",
                     "Hanako Sato"):
        assert expected in alpha
    missing = (out / published[2].folder / PAGE_NAME).read_text("utf-8")
    assert "提出なし" in missing
    broken = (out / published[3].folder / PAGE_NAME).read_text("utf-8")
    assert "採点できませんでした" in broken


def test_folder_names_are_keyed_and_stable(tmp_path: Path) -> None:
    names = {s: folder_name(KEY, s) for s in ("b2400123", "b2400124")}
    assert all(is_folder_name(n) for n in names.values()) and len(set(names.values())) == 2
    assert folder_name(KEY, "b2400123") == names["b2400123"]  # same key: same folder
    assert folder_name(bytes(32), "b2400123") != names["b2400123"]  # no key: no guess
    assert "b2400123" not in names["b2400123"]
    first = publish(klass(), tmp_path / "p", KEY, "en")
    second = publish(klass(), tmp_path / "p", KEY, "en")
    assert [p.folder for p in first] == [p.folder for p in second]


def test_the_key_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "publish.key"
    key = load_or_create_key(path)
    assert len(key) == 32 and load_or_create_key(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    path.write_text("abcd\n", encoding="ascii")
    with pytest.raises(ValueError, match="shorter than 128 bits"):
        load_or_create_key(path)


def test_the_map_is_beside_the_folders_and_stale_folders_go(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    published = publish(klass(), out, KEY, "ja")
    with open(map_path(out), newline="", encoding="utf-8") as handle:
        mapping = {row["student_id"]: row["folder"] for row in csv.DictReader(handle)}
    assert mapping == {p.student_id: p.folder for p in published}
    assert map_path(out).parent == out.parent
    (out / "notes").mkdir()  # not ours: left alone
    publish(klass()[:1], out, KEY, "ja")
    assert sorted(p.name for p in out.iterdir()) == sorted([published[0].folder, "notes"])


def test_command_line(tmp_path: Path) -> None:
    """adjust -> report -> export -> publish, as an instructor runs them."""
    import subprocess
    import sys

    from grader.gradebook import Gradebook

    db = tmp_path / "reports" / "gradebook.sqlite"
    with Gradebook(db) as book:
        for one in klass():
            book.record(one)
    adjustments = tmp_path / "discussion.csv"
    adjustments.write_text("student_id,assignment,points,reason\n"
                           "b2400123,a1,2,丁寧な考察\n", encoding="utf-8")

    def grader(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grader.cli", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=120)

    for _ in range(2):
        done = grader("adjust", str(adjustments), "--by", "yamada")
        assert done.returncode == 0, done.stderr
    assert "unchanged" in done.stdout
    done = grader("report", "--reports", str(tmp_path / "reports"), "--lang", "en")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "reports" / "students" / "b2400123.html").read_text("utf-8")
    assert "丁寧な考察" in page and "yamada" in page
    done = grader("export", "--format", "moodle", "--out", str(tmp_path / "m.csv"))
    assert done.returncode == 0, done.stderr
    assert "Participant b2400123" in (tmp_path / "m.csv").read_text("utf-8")
    done = grader("export", "--format", "gradescope", "--out", str(tmp_path / "gs"))
    assert done.returncode == 0 and "wrote 3 files" in done.stdout
    done = grader("publish", "--out", str(tmp_path / "out"), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert (db.parent / "publish.key").is_file() and (tmp_path / "out.csv").is_file()
    assert len(list((tmp_path / "out").glob("*/report.html"))) == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,assignment,points\nb2400123,a1,2\n", encoding="utf-8")
    done = grader("adjust", str(bad))
    assert done.returncode == 2 and "missing column(s) reason" in done.stderr
    assert "Traceback" not in done.stderr
