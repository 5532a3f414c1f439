"""Hostile submissions cost only their own points, with bubblewrap and with the fallback.

Every case in submissions/_adversarial/<case>/ (a copy of correct_sum with one hostile
change) is graded through the real pipeline (ingest, warm judges, sandboxed workers,
gradebook) in one batch with an honest student, once per isolation; expectations live
in tests/adversarial/expected.toml (see its header). Besides each case's exact outcome,
the batch must leave the honest student's full marks, the gradebook, the course and the
submissions as they were, and no connection may reach a port listening on loopback.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, assert_statuses, copy_course
from grader.gradebook import Gradebook
from grader.manifest import load_assignment
from grader.paths import Course
from grader.results import JobResult
from grader.runner import BatchSummary, grade
from grader.sandbox import BUBBLEWRAP, FALLBACK, bubblewrap_problem
from grader.worker.confine import landlock_abi

ASSIGNMENT = "02_perceptron"
CASES_DIR = ROOT / "submissions" / "_adversarial"
CONTROL = ROOT / "submissions" / ASSIGNMENT / "correct_sum"
with open(Path(__file__).parent / "adversarial" / "expected.toml", "rb") as _handle:
    EXPECTED: dict[str, dict] = tomllib.load(_handle)

#: Short limits so that a hang costs seconds: an infinite loop costs its timeout once.
LIMITS = {"call_timeout": 2.0, "job_timeout": 20.0, "cpu_seconds": 20, "memory_mb": 1024}
FULL_MARKS = 44.0

NO_BWRAP = pytest.mark.skipif(bubblewrap_problem() is not None,
                              reason=f"no namespace sandbox: {bubblewrap_problem()}")
ISOLATIONS = [pytest.param("bubblewrap", marks=NO_BWRAP, id="bubblewrap"),
              pytest.param("fallback", id="fallback")]


@dataclass
class Batch:
    """One graded batch and what the tests compare."""

    isolation: str
    summary: BatchSummary
    results: dict[str, JobResult]
    history: dict[str, int]
    runs: list[dict]
    before: dict[str, str]
    after: dict[str, str]
    knocks: int
    seconds: float


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _short_limits(course: Course) -> None:
    """The copied manifest with LIMITS (like ``scratch_course`` tests shorten them)."""
    manifest = course.reference_dir / ASSIGNMENT / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    for key, value in LIMITS.items():
        text, found = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        if not found:
            text = text.replace("[limits]\n", f"[limits]\n{key} = {value}\n", 1)
    manifest.write_text(text, encoding="utf-8")
    limits = load_assignment(course, ASSIGNMENT).limits
    assert (limits.call_timeout, limits.memory_mb) == (LIMITS["call_timeout"],
                                                       LIMITS["memory_mb"])


def _course_copy(root: Path) -> Course:
    """A disposable copy of the course with short limits."""
    course = copy_course(root)
    _short_limits(course)
    return course


def _grade(isolation: str, base: Path) -> Batch:
    course = _course_copy(base / "course")
    batch = base / "batch"
    for case in sorted(EXPECTED):
        shutil.copytree(CASES_DIR / case, batch / case)
    shutil.copytree(CONTROL, batch / CONTROL.name)
    watched = {"course": course.root, "batch": batch, "cases": CASES_DIR}
    before = {name: _tree_hash(path) for name, path in watched.items()}
    db = base / "gradebook.sqlite"
    # A port on loopback nobody should reach (socket_loopback would knock on every one).
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    started = time.monotonic()
    try:
        with pytest.MonkeyPatch.context() as environment:
            environment.delenv("GRADER_ISOLATION", raising=False)  # it would override ours
            environment.setenv("GRADER_ZYGOTE", "1")  # workers forked from a warm zygote
            summary = grade(course, [ASSIGNMENT], db_path=db, submissions=batch, jobs=2,
                            isolation=isolation, progress=False)
        seconds = time.monotonic() - started
        knocks = 0
        while True:
            try:
                listener.accept()[0].close()
            except BlockingIOError:
                break
            knocks += 1
    finally:
        listener.close()
    with Gradebook(db) as book:
        results = {r.student_id: r for r in book.current(ASSIGNMENT)}
        history = {student: len(book.history(ASSIGNMENT, student)) for student in results}
        runs = book.runs()
    after = {name: _tree_hash(path) for name, path in watched.items()}
    return Batch(isolation, summary, results, history, runs, before, after, knocks, seconds)


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Batch]:
    """Each isolation's batch, graded once (lazily) for the whole module."""

    class Batches(dict):
        def __missing__(self, isolation: str) -> Batch:
            self[isolation] = _grade(isolation, tmp_path_factory.mktemp(f"hostile-{isolation}"))
            return self[isolation]

    return Batches()


def expectation(case: str, isolation: str) -> dict:
    expected = {key: value for key, value in EXPECTED[case].items() if key != "fallback"}
    if isolation == "fallback":
        expected.update(EXPECTED[case].get("fallback", {}))
    return expected


def _case_params() -> list:
    params = []
    for isolation in ISOLATIONS:
        for case in sorted(EXPECTED):
            marks = list(isolation.marks)
            if "known_hole" in EXPECTED[case]:
                marks.append(pytest.mark.xfail(reason=EXPECTED[case]["known_hole"],
                                               strict=True))
            params.append(pytest.param(isolation.values[0], case, marks=marks,
                                       id=f"{isolation.id}-{case}"))
    return params


def _outputs(result: JobResult) -> list[str]:
    return [result.output, *(outcome.output for outcome in result.outcomes)]


# ----------------------------------------------------------------------------- tests


def test_every_case_has_an_expectation() -> None:
    folders = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
    assert folders == sorted(EXPECTED)
    for case in folders:  # each is a submission of 02_perceptron like correct_sum
        names = {p.name for p in (CASES_DIR / case / "scripts").iterdir()}
        assert {"gradient_method.py", "perceptron.py", f"ex_02_{case}.py"} <= names


@pytest.mark.parametrize("isolation, case", _case_params())
def test_hostile_case(batches: dict[str, Batch], isolation: str, case: str) -> None:
    expected = expectation(case, isolation)
    if expected.get("fallback_needs") == "landlock" and landlock_abi() == 0:
        pytest.skip("without Landlock the fallback cannot keep the course from being read: "
                    "install bubblewrap")
    result = batches[isolation].results[case]
    assert result.status == expected["status"], result.error
    assert_statuses(result, expected)
    by_id = {o.test_id: o for o in result.outcomes}
    for test_id, text in expected.get("messages", {}).items():
        shown = by_id[test_id].message["en"] + "\n" + by_id[test_id].hidden_detail.get("en", "")
        assert text in shown, shown
        assert by_id[test_id].message["ja"] != by_id[test_id].message["en"]
    warned = " ".join(f"{w['file']} {w['message']['en']}" for w in result.warnings)
    for name in expected.get("warnings_mention", []):
        assert name in warned
    everything = "\n".join(_outputs(result))
    for text in expected.get("outputs_contain", []):
        assert text in everything
    for pattern in expected.get("outputs_match", []):
        assert re.search(pattern, everything), pattern
    dumped = json.dumps(result.to_dict(), ensure_ascii=False)
    for text in expected.get("outputs_exclude", []):
        assert text not in dumped
    if "max_output" in expected:
        assert max(len(text) for text in _outputs(result)) <= expected["max_output"]
    assert result.duration < expected.get("max_duration", 6.0)


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_honest_student_in_the_same_batch(batches: dict[str, Batch], isolation: str) -> None:
    honest = batches[isolation].results[CONTROL.name]
    assert honest.status == "graded" and honest.points == FULL_MARKS
    assert {o.status for o in honest.outcomes} == {"passed"}
    assert honest.warnings == () and not honest.output.strip()


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_gradebook_course_and_submissions_untouched(batches: dict[str, Batch],
                                                   isolation: str) -> None:
    batch = batches[isolation]
    assert batch.summary.errors == 0 and batch.summary.graded == len(EXPECTED) + 1
    assert sorted(batch.results) == sorted([*EXPECTED, CONTROL.name])
    assert set(batch.history.values()) == {1}  # one row each: nothing written twice
    assert len(batch.runs) == 1 and batch.runs[0]["errors"] == 0
    assert batch.after == batch.before  # course, the batch's files, the repository's cases
    assert batch.knocks == 0
    temp = Path(tempfile.gettempdir())  # where atexit_rewrite would leave its mark
    assert not [*temp.glob("PWNED.txt"), *temp.glob("nngrader-*/PWNED.txt")]
    for result in batch.results.values():  # results stay storable and printable
        json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
    assert batch.seconds < 60


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_isolation_recorded(batches: dict[str, Batch], isolation: str) -> None:
    batch = batches[isolation]
    name = {"bubblewrap": BUBBLEWRAP, "fallback": FALLBACK}[isolation]
    assert batch.summary.isolation == name and batch.runs[0]["isolation"] == name
    for result in batch.results.values():
        assert result.isolation.split(",")[0] == name
        assert "seccomp" in result.isolation
        if isolation == "bubblewrap":
            assert "own pid/net/ipc/mount namespaces" in result.isolation
