"""Ingest step by step, without grading: decoding, names, notebooks, archives, lateness,
the roster, source detection, and the command line's handling of bad input.

The graded end-to-end batches per source kind are in test_ingest_sources.py.
"""

from __future__ import annotations

import codecs
import datetime as dt
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from grader import ingest
from grader.ingest import decode, late, names, notebook, sources, unpack
from grader.ingest.roster import Roster, name_keys
from grader.manifest import ExpectedFile, LatePolicy, ManifestError, load_assignment
from grader.paths import Course

JST = dt.timezone(dt.timedelta(hours=9))
SAMPLES = ROOT / "submissions" / "02_perceptron"
SOURCE = "\"\"\"パーセプトロン\"\"\"\n\nx = 1  # 日本語のコメント\n"


@pytest.fixture(scope="module")
def assignment():  # noqa: ANN201 - the 02_perceptron manifest
    return load_assignment(Course(ROOT), "02_perceptron")


def zip_with(path: Path, members: list[tuple[str, bytes, int]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name, (2025, 5, 20, 12, 0, 0))
            info.create_system = 3
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


# ----------------------------------------------------------------------------- decode


@pytest.mark.parametrize("data, encoding", [
    (SOURCE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SOURCE.encode("utf-8"), "utf-8"),
    (SOURCE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    (SOURCE.encode("cp932"), "cp932"),
    (b"# -*- coding: shift_jis -*-\n" + SOURCE.encode("shift_jis"), "shift_jis"),
    (SOURCE.encode("euc_jp"), "euc_jp"),
    (SOURCE.encode("utf-16"), "utf-16"),
])
def test_every_encoding_becomes_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode.decode_text(data)
    assert decoded is not None
    assert decoded.text.endswith(SOURCE)
    assert decoded.encoding == encoding
    assert decoded.converted == (encoding not in ("utf-8",))


def test_binary_and_unknown_bytes_are_refused() -> None:
    assert decode.decode_text(b"\x00\x01\x02binary") is None
    assert decode.decode_text(bytes(range(128, 256)) * 4) is None


def test_a_stale_coding_line_is_rewritten_in_place() -> None:
    text = "# -*- coding: cp932 -*-\nx = '日本'\n"
    assert decode.declare_utf8(text) == "# -*- coding: utf-8 -*-\nx = '日本'\n"
    assert decode.declare_utf8("x = 1\n") == "x = 1\n"
    assert decode.declare_utf8("#!/usr/bin/env python\n# vim: set fileencoding=sjis :\n") == \
        "#!/usr/bin/env python\n# vim: set fileencoding=utf-8 :\n"


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize("name, expected", [
    ("perceptron (1).py", "perceptron.py"),
    ("Perceptron.py", "perceptron.py"),
    ("perceptron-1.py", "perceptron.py"),
    ("perceptron のコピー.ipynb", "perceptron.ipynb"),
    ("Copy of perceptron.ipynb", "perceptron.ipynb"),
    ("perceptron - コピー (2).py", "perceptron.py"),
    ("ｐｅｒｃｅｐｔｒｏｎ.py", "perceptron.py"),
    ("perceptron.py.txt", "perceptron.py"),
    ("gradient method.py", "gradient_method.py"),
    ("Ex_02_S2601234 (1).py", "ex_02_s2601234.py"),
])
def test_drifted_names_are_normalised(name: str, expected: str) -> None:
    assert names.normalized(name) == expected


def test_candidates_rank_exact_before_drifted_and_py_before_notebooks() -> None:
    def entry(path: str) -> unpack.Entry:
        return unpack.Entry(Path(path), 1, None, lambda limit: b"")  # type: ignore[arg-type]

    expected = ExpectedFile("perceptron.py", "perceptron")
    found = names.candidates(expected, [entry("old/perceptron.py"), entry("Perceptron.py"),
                                        entry("perceptron.ipynb"), entry("perceptron.py"),
                                        entry("notes.txt")])
    assert [str(m.entry.path) for m in found] == ["perceptron.py", "old/perceptron.py",
                                                  "perceptron.ipynb", "Perceptron.py"]
    assert [m.renamed for m in found] == [False, False, False, True]


def test_written_ids_ignore_copy_markers() -> None:
    expected = ExpectedFile("ex_02_{student_id}.py", "ex_02")
    assert names.written_id(expected, "ex_02_s2601234.py") == "s2601234"
    assert names.written_id(expected, "ex_02_s2601234 (1).py") == "s2601234"
    assert names.written_id(expected, "ex_02_s2601234-1.py") == "s2601234"
    assert names.written_id(expected, "ex_02_2025-12.py", "2025-12") == "2025-12"
    assert names.written_id(expected, "Ex_02_S2601234.ipynb") == "S2601234"
    assert names.graded_name(expected, "s1", "s2601234") == "ex_02_s2601234.py"
    assert names.graded_name(expected, "moodle_12", "s 1") == "ex_02_moodle_12.py"


@pytest.mark.parametrize("name, module", [
    ("numpy.py", "numpy"), ("conftest.py", "conftest"), ("sitecustomize.py", "sitecustomize"),
    ("evil.pth", ".pth"), ("random.py", "random"), ("perceptron.py", None),
    ("notes.txt", None)])
def test_shadowing_names(name: str, module: str | None) -> None:
    assert names.shadows(name) == module


# ----------------------------------------------------------------------------- notebooks


def make_notebook(*cells: str, markdown: str = "") -> str:
    notebook_node = nbformat.v4.new_notebook()
    notebook_node.cells = ([nbformat.v4.new_markdown_cell(markdown)] if markdown else []) + [
        nbformat.v4.new_code_cell(cell) for cell in cells]
    return nbformat.writes(notebook_node)


def test_notebook_conversion_keeps_definitions_and_moves_the_demo(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = make_notebook(
        "!pip install japanize-matplotlib\n%matplotlib inline\nimport japanize_matplotlib",
        "from google.colab import drive\ndrive.mount('/content/drive')",
        "import numpy as np\nrng = np.random.default_rng(0)\nLR = 0.1\n\n"
        "def f(x):\n    return (x - 1) ** 2\n",
        f"open({str(marker)!r}, 'w').write('x')\nhistory = [f(x) for x in range(3)]\n"
        "best = min(history)\nprint(best)",
        "%%bash\nrm -rf /",
        "%%time\nSCALE = 2",
        "def broken(:\n    pass",
        "np.mean?",
        markdown="考察: 学習率が大きいと発散した。")
    conversion = notebook.convert(text, "gradient.ipynb", {"gradient"})
    source = conversion.source
    assert not marker.exists()  # parsing only: the notebook's code never ran
    compile(source, "gradient.py", "exec")
    assert conversion.removed == ["google.colab", "japanize_matplotlib"]
    assert conversion.dropped == [(8, 1, "invalid syntax")]  # cell 1 is markdown
    assert conversion.code_cells == 8
    assert conversion.markdown == "考察: 学習率が大きいと発散した。"
    top, _, main = source.rpartition('\nif __name__ == "__main__":')
    for kept in ("import numpy as np", "rng = np.random.default_rng(0)", "LR = 0.1",
                 "def f(x):", "SCALE = 2"):
        assert kept in top
    for moved in ("open(", "history = [f(x)", "best = min(history)", "print(best)"):
        assert moved in main and moved not in top
    assert "rm -rf" not in source  # a %%bash cell is not Python: left out
    assert "# [nn-grader] not available while grading: drive.mount" in source
    namespace: dict = {"__name__": "converted"}
    exec(compile(top, "gradient.py", "exec"), namespace)  # the module part imports cleanly
    assert namespace["f"](3) == 4 and not marker.exists()


def test_a_notebook_that_is_not_one_is_reported() -> None:
    with pytest.raises(notebook.NotebookError):
        notebook.convert("{not json", "x.ipynb")
    with pytest.raises(notebook.NotebookError):
        notebook.convert('{"cells": 3}', "x.ipynb")


# ----------------------------------------------------------------------------- archives


def test_every_unsafe_member_is_refused(tmp_path: Path) -> None:
    archive = zip_with(tmp_path / "a.zip", [
        ("ok/perceptron.py", b"x = 1\n", 0o100644),
        ("../escape.py", b"", 0o100644),
        ("/abs.py", b"", 0o100644),
        ("C:/windows.py", b"", 0o100644),
        ("a/../../b.py", b"", 0o100644),
        ("link.py", b"/etc/passwd", stat.S_IFLNK | 0o777),
        ("device", b"", stat.S_IFCHR | 0o644),
        ("__MACOSX/._perceptron.py", b"", 0o100644),
        ("ok/__pycache__/x.pyc", b"", 0o100644),
    ])
    entries, refusals, _ = unpack.read_zip(archive, unpack.STUDENT_LIMITS, label="a.zip")
    assert [str(e.path) for e in entries] == ["ok/perceptron.py"]
    assert entries[0].read(100) == b"x = 1\n" and entries[0].read(3) is None
    assert [(r.path, r.key) for r in refusals] == [
        ("a.zip: ../escape.py", "refused_path"), ("a.zip: /abs.py", "refused_path"),
        ("a.zip: C:/windows.py", "refused_path"), ("a.zip: a/../../b.py", "refused_path"),
        ("link.py", "refused_link"), ("device", "refused_special")]


@pytest.mark.parametrize("members, key", [
    ([("big.py", b"\0" * 3_000_000, 0o100644)], "archive_bomb"),
    ([(f"f{i}", b"", 0o100644) for i in range(1001)], "archive_too_many"),
])
def test_archives_over_a_limit_are_refused_whole(tmp_path: Path, members: list, key: str
                                                 ) -> None:
    archive = zip_with(tmp_path / "a.zip", members)
    with pytest.raises(unpack.ArchiveError) as error:
        unpack.read_zip(archive, unpack.STUDENT_LIMITS)
    assert error.value.key == key
    small = unpack.ArchiveLimits(max_total_bytes=10)
    with pytest.raises(unpack.ArchiveError) as error:
        unpack.read_zip(zip_with(tmp_path / "b.zip", [("a", b"x" * 11, 0o100644)]), small)
    assert error.value.key == "archive_too_large"


def test_not_a_zip_and_encrypted_zips(tmp_path: Path) -> None:
    (tmp_path / "fake.zip").write_bytes(b"PK but not really")
    with pytest.raises(unpack.ArchiveError) as error:
        unpack.read_zip(tmp_path / "fake.zip", unpack.STUDENT_LIMITS)
    assert error.value.key == "archive_unreadable"
    data = bytearray(zip_with(tmp_path / "plain.zip", [("perceptron.py", b"x", 0o100644)])
                     .read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted"
        data[data.index(signature) + offset] |= 0x1
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    with pytest.raises(unpack.ArchiveError) as error:
        unpack.read_zip(tmp_path / "locked.zip", unpack.STUDENT_LIMITS)
    assert error.value.key == "archive_encrypted"


def test_japanese_windows_member_names_are_decoded(tmp_path: Path) -> None:
    raw = "課題/perceptron.py".encode("cp932")  # as Explorer writes it: no UTF-8 flag
    placeholder = b"XXXX/perceptron.py"
    assert len(raw) == len(placeholder)
    data = zip_with(tmp_path / "p.zip", [(placeholder.decode(), b"x = 1\n", 0o100644)])
    (tmp_path / "a.zip").write_bytes(data.read_bytes().replace(placeholder, raw))
    entries, _, _ = unpack.read_zip(tmp_path / "a.zip", unpack.STUDENT_LIMITS)
    assert [str(e.path) for e in entries] == ["課題/perceptron.py"]


def test_folders_refuse_links_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "perceptron.py").write_text("x = 1\n")
    (tmp_path / "scripts" / "secret.py").symlink_to("/etc/passwd")
    (tmp_path / "linked").symlink_to("/etc", target_is_directory=True)
    import os
    os.mkfifo(tmp_path / "pipe.py")
    entries, refusals = unpack.list_folder(tmp_path)
    assert [str(e.path) for e in entries] == ["scripts/perceptron.py"]
    assert sorted((r.path, r.key) for r in refusals) == [
        ("linked", "refused_link"), ("pipe.py", "refused_special"),
        ("scripts/secret.py", "refused_link")]


# ----------------------------------------------------------------------------- sources


@pytest.mark.parametrize("name, fields", [
    ("yamadataro_340934_5550001_perceptron.py",
     {"name": "yamadataro", "late": None, "id": "340934", "file": "perceptron.py"}),
    ("yamadataro_LATE_340934_5550001_ex_02_s2601234-1.py",
     {"name": "yamadataro", "late": "LATE", "id": "340934", "file": "ex_02_s2601234-1.py"}),
    ("smith_jonesbob_late_12_34_a_b.py",
     {"name": "smith_jonesbob", "late": "late", "id": "12", "file": "a_b.py"}),
    ("anon_Xb3kq_5550001_perceptron.py",
     {"name": None, "late": None, "id": "anon_Xb3kq", "file": "perceptron.py"}),
    ("LATE_anon_Xb3kq_5550001_perceptron.py",
     {"name": None, "late": "LATE", "id": "anon_Xb3kq", "file": "perceptron.py"}),
])
def test_canvas_names(name: str, fields: dict) -> None:
    match = sources.CANVAS_FILE.match(name)
    assert match is not None
    assert {key: match[key] for key in fields} == fields


def test_moodle_names() -> None:
    folder = sources.MOODLE_FOLDER.match("山田 太郎_1234567_assignsubmission_file_")
    assert folder and (folder["name"], folder["id"], folder["plugin"]) == (
        "山田 太郎", "1234567", "file")
    flat = sources.MOODLE_FILE.match("Taro Yamada_88_assignsubmission_file_ex_02_s1_2.py")
    assert flat and (flat["id"], flat["file"]) == ("88", "ex_02_s1_2.py")
    assert sources.CANVAS_FILE.match("s2601234.zip") is None


def test_a_folder_of_students(assignment, tmp_path: Path) -> None:  # noqa: ANN001
    """Nested files, drifted names, a submitter whose files were all refused."""
    nested = tmp_path / "s1" / "提出" / "week2"
    nested.mkdir(parents=True)
    for path in (SAMPLES / "correct_sum" / "scripts").iterdir():
        target = {"perceptron.py": "perceptron (1).py", "ex_02_correct_sum.py": "ex_02_s1.py",
                  "ex_02_correct_sum.md": "ex_02_s1.md"}.get(path.name, path.name)
        (nested / target).write_bytes(path.read_bytes())
    (nested / "helper.py").write_text("x = 1\n")
    refused = tmp_path / "s2"
    refused.mkdir()
    (refused / "numpy.py").write_text("raise SystemExit\n")
    (refused / "perceptron.py").symlink_to(SAMPLES / "correct_sum" / "scripts" / "perceptron.py")
    (tmp_path / "_ignored").mkdir()
    found = {s.student_id: s for s in ingest.discover(assignment, tmp_path)}
    assert sorted(found) == ["s1", "s2"]
    first = found["s1"]
    assert sorted(first.files) == ["ex_02_s1.py", "gradient_method.py", "perceptron.py"]
    assert [w["id"] for w in first.warnings] == ["renamed", "ignored_files"]
    assert first.discussion and first.discussion.startswith("# 考察")
    second = found["s2"]
    assert second.nothing_submitted
    assert [w["id"] for w in second.warnings] == [
        "refused_link", "refused_shadowing", "missing_file", "missing_file", "missing_file"]
    spec = second.job_spec(ROOT)
    assert spec.missing_everything and len(spec.warnings) == 5
    assert all(w["message"]["ja"] != w["message"]["en"] for w in spec.warnings)


def test_roster_adds_students_who_submitted_nothing(assignment, tmp_path: Path  # noqa: ANN001
                                                    ) -> None:
    (tmp_path / "class" / "s1").mkdir(parents=True)
    (tmp_path / "roster.csv").write_text("student_id,name\ns1,A\ns2,B\n", encoding="utf-8")
    found = {s.student_id: s for s in ingest.discover(assignment, tmp_path / "class",
                                                      tmp_path / "roster.csv")}
    assert sorted(found) == ["s1", "s2"]
    assert [w["id"] for w in found["s2"].warnings] == ["not_submitted"]
    assert found["s2"].job_spec(ROOT).missing_everything
    assert found["s2"].job_spec(ROOT).facts.student_name == "B"


def test_without_a_roster_lms_students_get_a_clear_id(assignment, tmp_path: Path  # noqa: ANN001
                                                     ) -> None:
    zip_with(tmp_path / "export.zip", [
        ("tanakayuki_340935_1_perceptron.py", b"x = 1\n", 0o100644),
        ("tanakayuki_340935_2_notes.html", b"", 0o100644),
        ("stray.txt", b"", 0o100644)])
    [found] = ingest.discover(assignment, tmp_path / "export.zip")
    assert found.student_id == "canvas_340935"
    assert found.student_name == "tanakayuki"
    assert found.warnings[0]["id"] == "no_roster"
    assert "tanakayuki (340935)" in found.warnings[0]["message"]["en"]
    assert found.source_info["kind"] == "canvas"


def test_a_zip_of_student_folders_wrapped_in_one_folder(assignment, tmp_path: Path  # noqa: ANN001
                                                       ) -> None:
    zip_with(tmp_path / "class.zip", [
        ("class-a/s1/perceptron.py", b"x = 1\n", 0o100644),
        ("class-a/s2/gradient_method.py", b"x = 2\n", 0o100644),
        ("class-a/s3.zip", zip_with(tmp_path / "s3.zip", [
            ("perceptron.py", b"x = 3\n", 0o100644)]).read_bytes(), 0o100644)])
    found = {s.student_id: s for s in ingest.discover(assignment, tmp_path / "class.zip")}
    assert sorted(found) == ["s1", "s2", "s3"]
    assert found["s3"].files == {"perceptron.py": b"x = 3\n"}
    assert found["s3"].source_info["kind"] == "zip"


# ----------------------------------------------------------------------------- git


def test_git_picks_the_last_commit_before_the_deadline() -> None:
    from grader.ingest.gitrepo import Commit, choose

    deadline = dt.datetime(2025, 5, 20, 23, 59, tzinfo=JST)
    history = [Commit("c", deadline + dt.timedelta(hours=2), "late fix"),
               Commit("b", deadline - dt.timedelta(minutes=1), "done"),
               Commit("a", deadline - dt.timedelta(days=2), "start")]
    chosen, notes = choose(history, LatePolicy(deadline))
    assert chosen.sha == "b" and notes[0][0] == "git_after_deadline"
    chosen, _ = choose(history, LatePolicy(deadline, grace_minutes=180))
    assert chosen.sha == "c"
    chosen, notes = choose(history, LatePolicy(deadline, resubmissions="last"))
    assert chosen.sha == "c" and notes == []
    assert choose([], None) == (None, [("git_no_commits", {})])


def test_git_repository_that_is_not_one(assignment, tmp_path: Path) -> None:  # noqa: ANN001
    broken = tmp_path / "class" / "s1"
    (broken / ".git").mkdir(parents=True)
    [found] = ingest.discover(assignment, tmp_path / "class")
    assert found.warnings[0]["id"] == "git_unreadable" and found.nothing_submitted


# ----------------------------------------------------------------------------- lateness


def policy(**values: object) -> LatePolicy:
    from grader.manifest.late import late_policy as _late_policy

    late_table = {key: value for key, value in values.items() if key != "deadline"}
    result = _late_policy("a", {"deadline": values.get("deadline", "2025-05-20T23:59:00+09:00")},
                          late_table or None)
    assert result is not None
    return result


@pytest.mark.parametrize("submitted, days, penalty", [
    (dt.datetime(2025, 5, 20, 23, 0, tzinfo=JST), 0, 0),
    (dt.datetime(2025, 5, 21, 0, 30, tzinfo=JST), 0, 0),            # within 60 min grace
    (dt.datetime(2025, 5, 21, 1, 0, tzinfo=JST), 1, 3.9),
    (dt.datetime(2025, 5, 22, 23, 59, tzinfo=JST), 2, 7.8),
    (dt.datetime(2025, 6, 30, 0, 0, tzinfo=JST), 41, 11.7),          # capped at 30%
    (dt.datetime(2025, 5, 21, 12, 0), 1, 3.9),                       # naive: course time
    (dt.datetime(2025, 5, 20, 15, 30, tzinfo=dt.UTC), 1, 3.9),        # 00:30 JST + 1 min
])
def test_days_late_and_penalty(submitted: dt.datetime, days: int, penalty: float) -> None:
    rules = policy(grace_minutes=60, penalty_per_day="10%", max_penalty="30%")
    if submitted.tzinfo is dt.UTC:
        submitted += dt.timedelta(minutes=30)
    record, notes = late.assess(rules, submitted, max_points=39, time_source="git")
    assert record is not None
    assert (record.days_late, record.penalty) == (days, pytest.approx(penalty))
    assert record.policy == "10%/day late, at most 30%, 60 min grace, last before " \
        "deadline counts"
    assert [key for key, _ in notes] == (["late"] if days else
                                         ["late_within_grace"] if submitted > rules.deadline
                                         else [])


def test_points_penalties_and_lms_flags() -> None:
    rules = policy(penalty_per_day=2, max_penalty=5)
    record, _ = late.assess(rules, dt.datetime(2025, 5, 25, tzinfo=JST), max_points=39)
    assert record and record.penalty == 5
    record, notes = late.assess(rules, None, max_points=39, lms="Canvas", lms_late=True)
    assert record and record.lms_flag and record.days_late is None
    assert notes == [("late_no_time", {"lms": "Canvas"})]
    assert late.assess(None, None, max_points=39, lms="Canvas", lms_late=True)[1][0][0] == \
        "lms_late_no_policy"
    assert late.assess(rules, None, max_points=39) == (None, [])


@pytest.mark.parametrize("values, message", [
    ({"deadline": "2025-05-20T23:59:00"}, "UTC offset"),
    ({"deadline": "next monday"}, "ISO"),
    ({"penalty_per_days": "10%"}, "did you mean penalty_per_day"),
    ({"penalty_per_day": "150%"}, "between 0% and 100%"),
    ({"penalty_per_day": -1}, "a percentage of the maximum"),
    ({"resubmissions": "first"}, "last_before_deadline, last"),
    ({"grace_minutes": "ten"}, "grace_minutes"),
])
def test_manifest_late_policy_errors(values: dict, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        policy(**values)


def test_manifest_without_deadline_has_no_policy(assignment) -> None:  # noqa: ANN001
    from grader.manifest.late import late_policy as _late_policy

    assert assignment.late is None
    with pytest.raises(ManifestError, match="needs"):
        _late_policy("a", {}, {"grace_minutes": 5})


# ----------------------------------------------------------------------------- roster


def test_roster_from_excel_in_cp932(tmp_path: Path) -> None:
    path = tmp_path / "名簿.csv"
    path.write_bytes("学籍番号,姓,名,メールアドレス,Identifier\r\n"
                     "s1,山田,太郎,s1@example.ac.jp,Participant 1001\r\n"
                     "s2,Suzuki,Hanako,s2@example.ac.jp,\r\n"
                     "s3,Sato,Hanako,,canvas:340934;github:sato\r\n".encode("cp932"))
    roster = Roster.load(path)
    assert [p.student_id for p in roster.people] == ["s1", "s2", "s3"]
    assert roster.find(lms_id="1001").student_id == "s1"
    assert roster.find(name="山田　太郎").student_id == "s1"     # full-width space
    assert roster.find(name="suzukihanako").student_id == "s2"   # Canvas's sortable name
    assert roster.find(name="Hanako Suzuki").student_id == "s2"
    assert roster.find(lms_id="sato").student_id == "s3"
    assert roster.find(key="s2@example.ac.jp").student_id == "s2"
    assert roster.find(key="S1").student_id == "s1"
    assert roster.find(name="Hanako") is None
    assert name_keys("Yamada, Taro") == {"yamadataro", "taroyamada"}


@pytest.mark.parametrize("text, message", [
    ("name,email\nA,a@x\n", "no student_id column"),
    ("student_id,name\ns1,A\ns1,B\n", "appears twice"),
    ("student_id,name\n,A\n", "no student_id"),
])
def test_roster_errors_say_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ingest.IngestError, match=message):
        Roster.load(path)


# ----------------------------------------------------------------------------- command line


def grader(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_refuses_an_unreadable_export_or_roster(tmp_path: Path) -> None:
    (tmp_path / "export.zip").write_bytes(b"not a zip")
    done = grader("grade", "-a", "02_perceptron", "--submissions", str(tmp_path / "export.zip"),
                  "--db", str(tmp_path / "b.sqlite"), "--reports", str(tmp_path / "r"), "-q")
    assert done.returncode == 2
    assert "not a usable zip archive" in done.stderr
    (tmp_path / "class").mkdir()
    (tmp_path / "roster.csv").write_text("name\nA\n", encoding="utf-8")
    done = grader("grade", "-a", "02_perceptron", "--submissions", str(tmp_path / "class"),
                  "--roster", str(tmp_path / "roster.csv"), "--db", str(tmp_path / "b.sqlite"),
                  "--reports", str(tmp_path / "r"), "-q")
    assert done.returncode == 2
    assert "no student_id column" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_ingest_message_exists_in_both_languages() -> None:
    from grader import i18n

    keys = {lang: {k for k in i18n.catalogue(lang) if k.startswith("ingest.")}
            for lang in i18n.LANGUAGES}
    assert keys["ja"] == keys["en"]
    used = set()
    for path in (ROOT / "grader" / "ingest").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        import re
        used |= {f"ingest.{key}" for key in re.findall(
            r'(?:warn|Refusal\.of|ArchiveError)\([^"\n]*"([a-z_]+)"', text)}
        used |= {f"ingest.{key}" for key in re.findall(r'\(\("([a-z_]+)", \{', text)}
        used |= {f"ingest.{key}" for key in re.findall(r'return [^\n]*\("([a-z_]+)", \{', text)}
    assert used and used <= keys["en"], used - keys["en"]


def test_one_students_bomb_in_an_export_does_not_stop_the_class(assignment, tmp_path: Path  # noqa: ANN001
                                                                ) -> None:
    zip_with(tmp_path / "export.zip", [
        ("A B_1_assignsubmission_file_/perceptron.py", b"\0" * 5_000_000, 0o100644),
        ("A B_1_assignsubmission_file_/../../../escape.py", b"x", 0o100644),
        ("C D_2_assignsubmission_file_/perceptron.py", b"x = 1\n", 0o100644)])
    found = {s.student_id: s for s in ingest.discover(assignment, tmp_path / "export.zip")}
    assert sorted(found) == ["moodle_1", "moodle_2"]
    assert [w["id"] for w in found["moodle_1"].warnings][:3] == [
        "no_roster", "archive_bomb", "refused_path"]
    assert found["moodle_1"].nothing_submitted
    assert found["moodle_2"].files == {"perceptron.py": b"x = 1\n"}
    assert found["moodle_2"].source_info["lms_name"] == "C D"
