"""Real submissions as they arrive, graded through the real pipeline.

Each test builds one batch of one source kind from the sample students in
submissions/02_perceptron (whose expected points are in tests/expected/), grades it
with grader.runner.grade into a temporary gradebook, and checks points, status,
warnings and what ingest recorded (JobResult.facts). Several students share one batch
to keep the suite fast.

Deadline used throughout: 2025-05-20 23:59 +09:00, 60 min grace, 10% of the maximum
(44 points) per day late, at most 30%.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, grade_class
from grader.paths import Course
from grader.results import JobResult

SAMPLES = ROOT / "submissions" / "02_perceptron"
DEADLINE = dt.datetime(2025, 5, 20, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=9)))
BEFORE = (2025, 5, 20, 21, 30, 0)        # zip dates are local time (the course's)
LATE_BY_A_DAY_AND_A_HALF = (2025, 5, 22, 11, 0, 0)

pytestmark = pytest.mark.slow


def sample(student: str) -> dict[str, bytes]:
    """A sample student's files by name."""
    return {p.name: p.read_bytes() for p in sorted((SAMPLES / student / "scripts").iterdir())}


def with_deadline(course: Course) -> Course:
    """The scratch course with a deadline and a late policy in 02_perceptron's manifest."""
    manifest = course.assignment("02_perceptron").manifest
    text = manifest.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    text = text.replace(title, f"{title}\ndeadline = {DEADLINE.isoformat()}", 1)
    text += ('\n[late]\ngrace_minutes = 60\npenalty_per_day = "10%"\nmax_penalty = "30%"\n'
             'resubmissions = "last_before_deadline"\n')
    manifest.write_text(text, encoding="utf-8")
    return course


def write_roster(path: Path, rows: list[tuple[str, str, str, str]], encoding: str = "utf-8",
                 header: tuple[str, ...] = ("student_id", "name", "email", "lms_id")) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def add(archive: zipfile.ZipFile, name: str, data: bytes,
        date: tuple[int, ...] = BEFORE, mode: int = 0o100644) -> None:
    info = zipfile.ZipInfo(name, date)
    info.create_system = 3
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def warning_ids(result: JobResult) -> list[str]:
    return [w["id"] for w in result.warnings]


def warning(result: JobResult, key: str) -> dict:
    return next(w for w in result.warnings if w["id"] == key)


def grade(course: Course, tmp_path: Path, submissions: Path, roster: Path | None = None
          ) -> dict[str, JobResult]:
    return grade_class(course, "02_perceptron", tmp_path / "book.sqlite", jobs=2,
                       submissions=submissions, roster=roster)


# ----------------------------------------------------------------------------- Moodle


def test_moodle_export(scratch_course: Course, tmp_path: Path) -> None:
    """Moodle's "download all submissions" zip, with a roster saved by Excel (cp932)."""
    course = with_deadline(scratch_course)
    export = tmp_path / "PERC-02-課題02-12345.zip"
    with zipfile.ZipFile(export, "w") as archive:
        # 山田 太郎: nested folders, Perceptron.py in the wrong case, a .md discussion.
        folder = "山田 太郎_1001_assignsubmission_file_/課題02/scripts/"
        for original, data in sample("correct_sum").items():
            name = original.replace("ex_02_correct_sum", "ex_02_s2601001")
            add(archive, folder + ("Perceptron.py" if name == "perceptron.py" else name), data)
        # Hanako Suzuki: Shift-JIS files from Japanese Windows (one with a coding line),
        # CRLF line ends, uploaded a day and a half late.
        folder = "Hanako Suzuki_1002_assignsubmission_file_/"
        for original, data in sample("mistake_update_sign").items():
            text = data.decode("utf-8").replace("\n", "\r\n")
            if original == "perceptron.py":
                text = "# -*- coding: shift_jis -*-\r\n" + text
            name = original.replace("ex_02_mistake_update_sign", "ex_02_s2601002")
            add(archive, folder + name, text.encode("cp932"), date=LATE_BY_A_DAY_AND_A_HALF)
        # Jiro Sato is not in the roster, and uploaded a zip of his folder.
        own = io.BytesIO()
        with zipfile.ZipFile(own, "w") as inner:
            for name, data in sample("skeleton").items():
                add(inner, f"jiro/scripts/{name}", data)
        add(archive, "Jiro Sato_1003_assignsubmission_file_/jiro.zip", own.getvalue())
        # An online-text submission beside the files (Moodle puts it in its own folder).
        add(archive, "Jiro Sato_1003_assignsubmission_onlinetext_/onlinetext.html", b"<p>hi</p>")
    roster = write_roster(tmp_path / "roster.csv", [
        ("s2601001", "山田 太郎", "s2601001@example.ac.jp", ""),
        ("s2601002", "Hanako Suzuki", "s2601002@example.ac.jp", "Participant 1002"),
        ("s2601009", "Absent Student", "s2601009@example.ac.jp", ""),
    ], encoding="cp932", header=("学籍番号", "氏名", "メールアドレス", "lms_id"))

    results = grade(course, tmp_path, export, roster)
    assert sorted(results) == ["moodle_1003", "s2601001", "s2601002", "s2601009"]

    yamada = results["s2601001"]
    assert (yamada.status, yamada.points) == ("graded", 44)
    assert warning_ids(yamada) == ["renamed"]
    assert "Perceptron.py" in warning(yamada, "renamed")["message"]["en"]
    assert yamada.facts.student_name == "山田 太郎"
    assert yamada.facts.source["kind"] == "moodle"
    assert yamada.facts.source["lms_id"] == "1001"
    assert yamada.facts.discussion.startswith("# 考察")
    assert yamada.facts.late.days_late == 0 and yamada.facts.late.penalty == 0
    assert yamada.submitted_at == "2025-05-20T21:30:00+09:00"

    suzuki = results["s2601002"]
    assert (suzuki.status, suzuki.points) == ("graded", 42)
    assert warning_ids(suzuki) == ["reencoded", "reencoded", "reencoded", "late"]
    assert "cp932" in warning(suzuki, "reencoded")["message"]["en"] or \
        "shift_jis" in warning(suzuki, "reencoded")["message"]["en"]
    late = suzuki.facts.late
    assert late.days_late == 2 and late.penalty == pytest.approx(8.8)
    assert late.time_source == "archive" and late.deadline == DEADLINE.isoformat()
    assert "8.8" in warning(suzuki, "late")["message"]["ja"]
    assert len(suzuki.facts.source["converted"]) == 3

    sato = results["moodle_1003"]
    assert (sato.status, sato.points) == ("graded", 0)
    assert warning_ids(sato) == ["unknown_identity", "id_mismatch"]
    assert sorted(sato.files) == ["ex_02_student_id.py", "gradient_method.py", "perceptron.py"]
    assert "Jiro Sato" in warning(sato, "unknown_identity")["message"]["en"]

    absent = results["s2601009"]
    assert (absent.status, absent.points) == ("missing", 0)
    assert warning_ids(absent) == ["not_submitted"]


# ----------------------------------------------------------------------------- Canvas


def notebook_from(source: str) -> str:
    """A Colab notebook made from a module: one cell per top-level block, plus demos."""
    blocks, current = [], []
    for line in source.splitlines():
        if line.startswith(("class ", "def ", 'if __name__')) and current:
            blocks.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    blocks.append("\n".join(current).strip("\n"))
    cells = [nbformat.v4.new_markdown_cell("# パーセプトロン (Colab)"),
             nbformat.v4.new_code_cell("!pip install japanize-matplotlib\n%matplotlib inline"),
             nbformat.v4.new_code_cell("from google.colab import drive\n"
                                       "drive.mount('/content/drive')")]
    cells += [nbformat.v4.new_code_cell(block) for block in blocks]
    cells += [
        nbformat.v4.new_code_cell(  # the demo: would train for minutes at import
            "x, t = load_data()\nmodel = Perceptron(3, 1, learning_rate=0.0005)\n"
            "losses = train(x, t, model, MeanSquaredError(), max_iteration=10**9)\n"
            "print(losses[-1])"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot(losses)"),
        nbformat.v4.new_code_cell("model.w?"),
        nbformat.v4.new_code_cell("for i in range(3)\n    print(i)"),  # a typo in a cell
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    notebook.metadata["colab"] = {"provenance": []}
    return nbformat.writes(notebook)


def test_canvas_export(scratch_course: Course, tmp_path: Path) -> None:
    """Canvas's "Download Submissions" zip: a notebook, BOM files, LATE, a renamed file."""
    course = with_deadline(scratch_course)
    export = tmp_path / "submissions.zip"
    with zipfile.ZipFile(export, "w") as archive:
        # Ichiro Suzuki wrote perceptron in Colab and handed in the notebook.
        files = sample("correct_mean")
        add(archive, "suzukiichiro_340934_5550001_perceptron.ipynb",
            notebook_from(files["perceptron.py"].decode()).encode())
        add(archive, "suzukiichiro_340934_5550002_gradient_method.py",
            files["gradient_method.py"])
        add(archive, "suzukiichiro_340934_5550003_ex_02_s2602001.py",
            files["ex_02_correct_mean.py"])
        # Yuki Tanaka: late, Windows Notepad (UTF-8 with BOM, CRLF), and a resubmitted
        # perceptron.py that Canvas renamed perceptron-1.py.
        for original, data in sample("mistake_mse_backward_mean").items():
            text = codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n")
            name = {"perceptron.py": "perceptron-1.py"}.get(original, original)
            name = name.replace("ex_02_mistake_mse_backward_mean", "ex_02_s2602002")
            add(archive, f"tanakayuki_LATE_340935_555001{len(name)}_{name}", text)
    roster = write_roster(tmp_path / "roster.csv", [
        ("s2602001", "Ichiro Suzuki", "s2602001@example.ac.jp", "canvas:340934"),
        ("s2602002", "Yuki Tanaka", "s2602002@example.ac.jp", ""),  # found by name
    ], encoding="utf-8-sig")

    results = grade(course, tmp_path, export, roster)
    assert sorted(results) == ["s2602001", "s2602002"]

    suzuki = results["s2602001"]
    assert (suzuki.status, suzuki.points) == ("graded", 44), suzuki.outcomes
    assert warning_ids(suzuki) == ["notebook_converted", "notebook_cell_dropped"]
    converted = warning(suzuki, "notebook_converted")["message"]
    assert "perceptron.py" in converted["en"] and "google.colab" in converted["en"]
    assert "ノートブック" in converted["ja"]
    assert "cell 14" in warning(suzuki, "notebook_cell_dropped")["message"]["en"]
    assert suzuki.facts.source["kind"] == "canvas"
    assert suzuki.facts.source["converted"] == ["perceptron.ipynb: notebook -> perceptron.py"]
    assert suzuki.facts.late is None  # Canvas gives no time and did not say LATE
    assert suzuki.duration < 30  # the demo's endless training did not run at import

    tanaka = results["s2602002"]
    assert (tanaka.status, tanaka.points) == ("graded", 42)
    assert warning_ids(tanaka) == ["renamed", "late_no_time"]
    assert tanaka.facts.late.lms_flag is True
    assert tanaka.facts.late.penalty == 0 and tanaka.facts.late.days_late is None
    assert tanaka.facts.student_name == "Yuki Tanaka"


# ----------------------------------------------------------------------------- a folder


def git(repository: Path, *args: str, when: dt.datetime | None = None) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(repository), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "student", "GIT_AUTHOR_EMAIL": "student@example.ac.jp",
           "GIT_COMMITTER_NAME": "student", "GIT_COMMITTER_EMAIL": "student@example.ac.jp"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    done = subprocess.run(["git", "-C", str(repository), *args], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def commit(repository: Path, files: dict[str, bytes], when: dt.datetime) -> str:
    for name, data in files.items():
        path = repository / "scripts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", f"work at {when}", when=when)
    return git(repository, "rev-parse", "HEAD")


def malicious_zip(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            add(archive, f"scripts/{name}", data)
        add(archive, "../../../../tmp/escaped.py", b"print('escaped')\n")
        add(archive, "/etc/cron.d/evil.py", b"print('absolute')\n")
        add(archive, "scripts/helper.py", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)
        add(archive, "scripts/fifo.py", b"", mode=stat.S_IFIFO | 0o644)
        add(archive, "scripts/numpy.py", b"raise SystemExit\n")
        add(archive, "scripts/conftest.py", b"import os\n")
        add(archive, "scripts/sitecustomize.py", b"import os\n")
        add(archive, "scripts/evil.pth", b"import os; os.system('true')\n")


def test_folder_of_git_repositories_zips_and_encodings(scratch_course: Course,
                                                       tmp_path: Path) -> None:
    """A folder mixing git repositories, one zip per student (one malicious, one zip bomb,
    one over the file-count cap) and a plain folder with Shift-JIS/BOM/CRLF files."""
    course = with_deadline(scratch_course)
    batch = tmp_path / "class"
    batch.mkdir()
    # A git repository with a commit before the deadline and a worse one after it.
    kato = batch / "ex02-kato"
    kato.mkdir()
    git(kato, "init", "-q")
    good = commit(kato, sample("correct_sum"), DEADLINE - dt.timedelta(hours=3))
    mistake = sample("mistake_update_sign")
    commit(kato, {"perceptron.py": mistake["perceptron.py"]}, DEADLINE + dt.timedelta(days=1))
    # A repository with only a commit 30 hours after the deadline: 2 days late.
    ito = batch / "ex02-ito"
    ito.mkdir()
    git(ito, "init", "-q")
    commit(ito, mistake, DEADLINE + dt.timedelta(hours=30))
    # A zip carrying every trick, beside the real files: graded, tricks refused.
    malicious_zip(batch / "s2603001.zip", sample("correct_sum"))
    # A zip bomb: 40 MB of zeros in 40 kB (under the size cap, caught by its ratio).
    with zipfile.ZipFile(batch / "s2603002.zip", "w") as archive:
        add(archive, "scripts/perceptron.py", b"\0" * 40_000_000)
    # A folder whose only content is an archive with 1500 files.
    crowd = batch / "s2603003"
    crowd.mkdir()
    with zipfile.ZipFile(crowd / "submission.zip", "w") as archive:
        for number in range(1500):
            add(archive, f"files/{number}.txt", b"x")
    # Japanese Windows: Shift-JIS without a coding line, UTF-8 with BOM, CRLF.
    plain = batch / "s2603004" / "scripts"
    plain.mkdir(parents=True)
    files = sample("correct_mean")
    (plain / "perceptron.py").write_bytes(files["perceptron.py"].decode().encode("cp932"))
    (plain / "gradient_method.py").write_bytes(codecs.BOM_UTF8 + files["gradient_method.py"])
    (plain / "ex_02_s2603004 (1).py").write_bytes(
        files["ex_02_correct_mean.py"].replace(b"\n", b"\r\n"))
    (plain / "notes.txt").symlink_to("/etc/passwd")
    roster = write_roster(tmp_path / "roster.csv", [
        ("s2603010", "Kato Ken", "", "kato"), ("s2603011", "Ito Aya", "", "ito"),
        ("s2603001", "", "", ""), ("s2603002", "", "", ""), ("s2603003", "", "", ""),
        ("s2603004", "", "", "")])

    results = grade(course, tmp_path, batch, roster)
    assert sorted(results) == ["s2603001", "s2603002", "s2603003", "s2603004", "s2603010",
                               "s2603011"]

    kato_result = results["s2603010"]
    assert (kato_result.status, kato_result.points) == ("graded", 44)
    assert kato_result.facts.source["kind"] == "git"
    assert kato_result.facts.source["commit"] == good
    assert kato_result.submitted_at == (DEADLINE - dt.timedelta(hours=3)).isoformat()
    assert kato_result.facts.late.days_late == 0
    assert "git_after_deadline" in warning_ids(kato_result)

    ito_result = results["s2603011"]
    assert (ito_result.status, ito_result.points) == ("graded", 42)
    assert warning_ids(ito_result) == ["git_none_before_deadline", "id_mismatch", "late"]
    assert ito_result.facts.late.days_late == 2
    assert ito_result.facts.late.penalty == pytest.approx(8.8)
    assert ito_result.facts.late.time_source == "git"

    tricks = results["s2603001"]
    assert (tricks.status, tricks.points) == ("graded", 44)
    assert warning_ids(tricks) == [
        "refused_path", "refused_path", "refused_link", "refused_special",
        "refused_shadowing", "refused_shadowing", "refused_shadowing", "refused_pth",
        "id_mismatch", "id_mismatch"]  # the sample's files carry the sample's name
    messages = " ".join(w["message"]["en"] for w in tricks.warnings)
    for name in ("../../../../tmp/escaped.py", "/etc/cron.d/evil.py", "numpy.py",
                 "conftest.py", "sitecustomize.py", "evil.pth", "helper.py", "fifo.py"):
        assert name in messages
    assert sorted(tricks.files) == ["ex_02_correct_sum.py", "gradient_method.py",
                                    "perceptron.py"]
    assert not Path("/tmp/escaped.py").exists()

    bomb = results["s2603002"]
    assert bomb.status == "missing" and bomb.points == 0
    assert warning_ids(bomb)[0] == "archive_bomb"
    assert "zip bomb" in warning(bomb, "archive_bomb")["message"]["en"]

    crowd_result = results["s2603003"]
    assert crowd_result.status == "missing"
    assert warning_ids(crowd_result)[0] == "archive_too_many"

    windows = results["s2603004"]
    assert (windows.status, windows.points) == ("graded", 44)
    assert warning_ids(windows) == ["refused_link", "reencoded"]
    assert windows.facts.source["converted"] == ["scripts/perceptron.py: cp932 -> utf-8"]
    assert "ex_02_s2603004.py" in windows.files
    assert json.dumps(windows.facts.to_dict())  # plain data all the way down


def test_cli_grades_an_export_zip_with_a_roster(tmp_path: Path) -> None:
    """``grader grade --submissions <zip> --roster <csv>`` as a TA types it."""
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for original, data in sample("mistake_update_sign").items():
            name = original.replace("ex_02_mistake_update_sign", "ex_02_s2604001")
            add(archive, f"Aya Mori_77_assignsubmission_file_/{name}", data)
    roster = write_roster(tmp_path / "roster.csv", [("s2604001", "森 彩", "", "77"),
                                                    ("s2604002", "Absent", "", "")])
    done = subprocess.run(
        [sys.executable, "-m", "grader.cli", "grade", "-a", "02_perceptron", "--submissions",
         str(export), "--roster", str(roster), "--db", str(tmp_path / "book.sqlite"),
         "--reports", str(tmp_path / "reports"), "--lang", "en", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "graded 2, unchanged 0, grader errors 0" in done.stdout
    assert {p.name for p in (tmp_path / "reports" / "students").iterdir()} >= {
        "s2604001.html", "s2604002.html"}
    page = (tmp_path / "reports" / "students" / "s2604001.html").read_text(encoding="utf-8")
    assert "森 彩" in page
