"""Limits and containment of the student worker, with bubblewrap and with the fallback.

Each case drives a tiny student module through the same StudentSession the judge uses.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from grader.judge.remote import (StudentCrashed, StudentException, StudentForbidden,
                                 StudentMemory, StudentNotImplemented, StudentSession,
                                 StudentTimeout)
from grader.sandbox import (
    BUBBLEWRAP,
    FALLBACK,
    Limits,
    ProcessWorker,
    Spawner,
    Worker,
    Workspace,
    bubblewrap_problem,
)

ROOT = Path(__file__).resolve().parent.parent

STUDENT = '''
import os, sys, time
import numpy as np

calls = 0

def double(x):
    print("doubling", x.shape)
    return 2 * x

def loop():
    while True:
        pass

def count():
    global calls
    calls += 1
    return calls

def stubborn_sleep():
    import signal
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        time.sleep(0.05)

def hard_exit():
    os._exit(0)

def soft_exit():
    sys.exit(3)

def interrupt():
    raise KeyboardInterrupt

def bomb():
    return np.ones((200_000, 200_000))

def fork():
    return os.fork()

def raw_fork():
    import posix
    return posix.fork()

def read(path):
    with open(path) as handle:
        return handle.read(50)

def shout():
    for _ in range(100_000):
        print("x" * 100)
    return "done"

def todo():
    raise NotImplementedError

def broken(x):
    return x @ np.ones((7, 7))

def apply(f, x):
    return f(x) + 1

def drive(model, x):
    return model.forward(x) * 10

class Node:
    def __init__(self, a):
        self.a = a
    def forward(self, x):
        self.x = x
        return self.a * x
'''

NO_BWRAP = pytest.mark.skipif(bubblewrap_problem() is not None, reason=str(bubblewrap_problem()))
ISOLATIONS = [
    pytest.param((BUBBLEWRAP, True), marks=NO_BWRAP, id="bubblewrap-zygote"),
    pytest.param((BUBBLEWRAP, False), marks=NO_BWRAP, id="bubblewrap-process"),
    pytest.param((FALLBACK, True), id="fallback-zygote"),
    pytest.param((FALLBACK, False), id="fallback-process"),
]


@pytest.fixture(scope="module")
def spawners():
    """One spawner (and zygote) per isolation for the whole module, like a warm judge."""
    made: dict = {}
    yield made
    for each in made.values():
        each.close()


@pytest.fixture(params=ISOLATIONS)
def session(request: pytest.FixtureRequest, spawners: dict, monkeypatch: pytest.MonkeyPatch):
    isolation, zygote = request.param
    monkeypatch.setenv("GRADER_ZYGOTE", "1" if zygote else "0")
    if request.param not in spawners:
        spawners[request.param] = Spawner(isolation)
    workers: Spawner = spawners[request.param]
    limits = Limits(call_timeout=2.0, job_timeout=60.0, cpu_seconds=30, memory_mb=1024,
                    max_restarts=4)
    files = {"student.py": STUDENT.encode(), "broken_import.py": b"import sys\nsys.exit(1)\n"}
    workspace = workers.workspace(files, None)

    def start(poison: list, poison_modules: list) -> Worker:
        workspace.reset_scripts(files)
        return workers.start(workspace, limits, poison, poison_modules, [0.8, 1.4])

    session = StudentSession(start, limits, {"student": "student",
                                             "broken_import": "broken_import",
                                             "absent": None})
    yield session
    session.close()
    workspace.remove()


def test_isolation_as_expected(session: StudentSession, request: pytest.FixtureRequest) -> None:
    session.load("student")
    hello = session.hello
    assert hello["seccomp"] is True and hello["landlock"] > 0
    isolation, zygote = request.node.callspec.params["session"]
    if isolation == BUBBLEWRAP and zygote:
        assert hello["namespaces"] == ["pid", "net", "ipc", "mount"] and hello["pid"] == 1


def test_calls_return_plain_data_and_output(session: StudentSession) -> None:
    student = session.load("student")
    result = student.double(np.arange(3.0))
    assert type(result) is np.ndarray and result.tolist() == [0.0, 2.0, 4.0]
    assert "doubling (3,)" in session.take_output()


def test_objects_stay_in_the_worker(session: StudentSession) -> None:
    node = session.load("student").Node(2.0)
    assert repr(node) == "<student object Node>"
    assert node.forward(np.ones(2)).tolist() == [2.0, 2.0]
    node.a = 5.0
    assert node.a == 5.0 and node.x.tolist() == [1.0, 1.0]


def test_student_exception_names_the_line(session: StudentSession) -> None:
    with pytest.raises(StudentException) as error:
        session.load("student").broken(np.ones((2, 3)))
    assert "student.py line" in error.value.message["en"] and "broken" in error.value.message["en"]
    assert "行目" in error.value.message["ja"]
    with pytest.raises(StudentNotImplemented):
        session.load("student").todo()


def test_missing_module(session: StudentSession) -> None:
    from grader.judge.remote import StudentMissing
    with pytest.raises(StudentMissing):
        session.load("absent")


def test_timeout_costs_once_and_worker_restarts(session: StudentSession) -> None:
    student = session.load("student")
    started = time.monotonic()
    with pytest.raises(StudentTimeout) as error:
        student.loop()
    assert 1.9 < time.monotonic() - started < 5
    assert "loop" in error.value.message["en"]
    started = time.monotonic()
    with pytest.raises(StudentTimeout):
        session.load("student").loop()          # poisoned: no second wait
    assert time.monotonic() - started < 1.5
    assert session.load("student").count() == 1  # a fresh worker, state reset


def test_sleep_ignoring_sigalrm_is_stopped(session: StudentSession) -> None:
    started = time.monotonic()
    with pytest.raises(StudentTimeout):
        session.load("student").stubborn_sleep()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("function, error, text", [
    ("hard_exit", StudentCrashed, "exited with code 0"),
    ("soft_exit", StudentCrashed, "sys.exit(3)"),
    ("interrupt", StudentCrashed, "KeyboardInterrupt"),
    ("bomb", StudentMemory, "out of memory"),
    ("fork", StudentForbidden, "not allowed"),
])
def test_failures_are_labelled_and_survived(session: StudentSession, function: str,
                                            error: type, text: str) -> None:
    with pytest.raises(error) as raised:
        getattr(session.load("student"), function)()
    assert text in raised.value.message["en"]
    assert session.load("student").double(np.ones(1)).tolist() == [2.0]


def test_fork_refused_by_the_kernel_too(session: StudentSession) -> None:
    with pytest.raises(StudentException) as error:
        session.load("student").raw_fork()
    assert "Operation not permitted" in error.value.message["en"]


def test_exit_at_import(session: StudentSession) -> None:
    with pytest.raises(StudentCrashed) as error:
        session.load("broken_import")
    assert "sys.exit(1)" in error.value.message["en"]


@pytest.mark.parametrize("path", [
    str(ROOT / "reference" / "02_perceptron" / "manifest.toml"),
    str(ROOT / "reference" / "02_perceptron" / "tests" / "test_hidden_perceptron.py"),
    "/etc/shadow",
])
def test_reference_and_system_secrets_are_unreadable(session: StudentSession, path: str) -> None:
    with pytest.raises(StudentException) as error:
        session.load("student").read(path)
    assert error.value.remote_type in ("FileNotFoundError", "PermissionError")


def test_output_is_capped(session: StudentSession) -> None:
    assert session.load("student").shout() == "done"
    output = session.take_output()
    assert len(output) <= Limits().output_kb * 1024 + 200
    assert "more characters not kept" in output


def test_callbacks_into_the_judge(session: StudentSession) -> None:
    student = session.load("student")
    assert student.apply(lambda x: x * 3, np.ones(2)).tolist() == [4.0, 4.0]

    class JudgeModel:
        def forward(self, x):
            return x + 1

    assert student.drive(JudgeModel(), np.zeros(2)).tolist() == [10.0, 10.0]


def test_restart_budget(session: StudentSession) -> None:
    for _ in range(1 + session.limits.max_restarts):  # the first worker, then 4 restarts
        with pytest.raises(StudentCrashed):
            session.load("student").hard_exit()
    with pytest.raises(StudentCrashed) as error:
        session.load("student").double(np.ones(1))
    assert "too often" in error.value.message["en"]


def test_cpu_time_limit() -> None:
    limits = Limits(call_timeout=20.0, cpu_seconds=1)
    workspace = Workspace.create({"spin.py": b"def spin():\n    while True:\n        pass\n"}, None)
    worker = ProcessWorker(workspace, limits, FALLBACK)
    session = StudentSession(lambda p, m: (worker.start(), worker)[1], limits, {"spin": "spin"})
    started = time.monotonic()
    try:
        with pytest.raises(StudentCrashed) as error:
            session.load("spin").spin()
    finally:
        session.close()
        workspace.remove()
    assert "CPU time" in error.value.message["en"]
    assert time.monotonic() - started < 10
