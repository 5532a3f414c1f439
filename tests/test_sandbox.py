"""Limits and containment of the student worker, with bubblewrap and with the fallback.

Each case drives a tiny student module through the same StudentSession the judge uses.
Every workspace also holds a ``numpy.py`` and a ``conftest.py`` that end the process if
anything imports them: the worker's own imports must never pick up a student's file.
Whole hostile submissions, graded end to end, are in test_adversarial.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox import bwrap
import grader.sandbox.isolation as isolation
from grader.judge.errors import (StudentCrashed, StudentDiskLimit, StudentException,
                                 StudentForbidden, StudentMemory, StudentNotImplemented,
                                 StudentTimeout)
from grader.judge.proxies import RemoteObject
from grader.judge.session import StudentSession
from grader.manifest import Limits
from grader.sandbox import (
    BUBBLEWRAP,
    FALLBACK,
    ProcessWorker,
    Spawner,
    Worker,
    Workspace,
    ZygoteWorker,
    bubblewrap_problem,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "assignments" / "_kit"))
import checks  # noqa: E402

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

def late_import():
    import tqdm  # a library the zygote did not preload
    return tqdm.__name__

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

def overflow():
    import warnings
    warnings.simplefilter("always")
    np.exp(np.array([1000.0]))
    print("my file is", __file__)
    raise ValueError("cannot open " + __file__)

def clip_in_place(x):
    x[x < 0] = 0
    return x

def where_is_numpy():
    return np.__file__

def environment():
    return dict(os.environ)

def fill_scratch():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "outputs")
    block = b"z" * 2**20
    for i in range(14):  # 14 files of 15 MB, each under the file size limit
        with open(os.path.join(out, f"part{i}.bin"), "wb") as handle:
            for _ in range(15):
                handle.write(block)

def many_files(count):
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "outputs")
    for i in range(count):
        with open(os.path.join(out, f"f{i}"), "w") as handle:
            handle.write("x")
    return count

def plant_links(victim):
    import shutil
    scratch = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    for name in ("data", "outputs", "tmp", "scripts"):
        path = os.path.join(scratch, name)
        try:
            shutil.rmtree(path)
            os.symlink(victim, path)
        except OSError:
            pass
    os._exit(0)

def memory_outside_limits():
    import ctypes
    refused = []
    try:
        os.memfd_create("hoard")
    except PermissionError:
        refused.append("memfd_create")
    libc = ctypes.CDLL(None, use_errno=True)
    for name, call in (("shmget", lambda: libc.shmget(0, 4096, 0o1600)),
                       ("semget", lambda: libc.semget(0, 1, 0o1600)),
                       ("msgget", lambda: libc.msgget(0, 0o1600))):
        if call() == -1 and ctypes.get_errno() == 1:
            refused.append(name)
    return refused

def kill_own_group():
    import ctypes, signal
    ctypes.CDLL(None).kill(0, signal.SIGKILL)
    time.sleep(0.3)  # PID 1 of a namespace ignores its own SIGKILL
    return "alive"

def endless():
    while True:
        yield 1.0

class Chameleon:
    def __len__(self):
        return 3
    def __iter__(self):
        block = np.ones(2**17)
        while True:
            yield block

def chameleon():
    return Chameleon()

def undecodable():
    sys.stdout.buffer.write(b"bytes \\xff\\xfe\\n")
    print("lone \\udcff")
    raise ValueError("bad \\udcff text")

def forge_error():
    import gc
    from grader.worker.server import Server
    server = next(o for o in gc.get_objects() if isinstance(o, Server))
    server.send({"id": server.current_call, "out": "", "error": {
        "kind": "exception", "type": "Forged", "message": "forged report",
        "frames": [1, "x", {"file": 3, "line": "2"}], "syntax": {"offset": "x"}}})
    return 1

def linger():
    import atexit, threading
    atexit.register(lambda: os.write(1, b"ATEXIT-RAN\\n"))
    ticked = threading.Event()
    def tick():
        while True:
            os.write(1, b"tick\\n")
            ticked.set()
            time.sleep(0.02)
    threading.Thread(target=tick, daemon=False).start()
    ticked.wait(5)  # the thread is surely running when the call returns
    return "started"
'''

#: Files beside the student's that would end the worker if it imported them.
SHADOWS = {name: b"import os\nos._exit(3)\n" for name in ("numpy.py", "conftest.py")}
DATA = ROOT / "assignments" / "02_perceptron" / "data"

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
                    max_restarts=4, scratch_files=500)
    files = {"student.py": STUDENT.encode(), "broken_import.py": b"import sys\nsys.exit(1)\n",
             "exits_at_import.py": b"import os\nos._exit(0)\n", **SHADOWS}
    workspace = workers.workspace(files, DATA)

    def start(poison: list, poison_modules: list) -> Worker:
        workspace.reset_scripts(files)
        return workers.start(workspace, limits, poison, poison_modules, [0.8, 1.4])

    session = StudentSession(start, limits, {"student": "student",
                                             "broken_import": "broken_import",
                                             "exits_at_import": "exits_at_import",
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
    from grader.judge.errors import StudentMissing
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


def test_a_function_that_timed_out_may_still_be_looked_up(session: StudentSession) -> None:
    """Only tests that *call* it are marked "timed out in an earlier test": one that
    fetches it among others at its top and calls the others keeps its points."""
    with pytest.raises(StudentTimeout):
        session.load("student").loop()
    student = session.load("student")
    loop, double = student.loop, student.double
    assert double(np.ones(2)).tolist() == [2.0, 2.0]
    with pytest.raises(StudentTimeout, match="earlier test"):
        loop()


def test_machine_paths_are_scrubbed_from_output_and_errors(session: StudentSession) -> None:
    """A numpy warning names numpy's file; a print or an error names the student's file in
    the scratch folder: students see neither the machine's nor the sandbox's layout."""
    import sys

    with pytest.raises(StudentException) as raised:
        session.load("student").overflow()
    output = session.take_output()
    assert "RuntimeWarning: overflow" in output and "scripts/student.py" in output
    for text in (output, raised.value.message["en"]):
        assert sys.prefix not in text and "/submission" not in text and "nngrader" not in text


def test_arrays_changed_in_place_are_reported(session: StudentSession) -> None:
    """Arrays cross into the sandbox by value, so the worker itself compares them."""
    student = session.load("student")
    value, changed = student.clip_in_place.call_reporting_changes(np.array([-1.0, 2.0]))
    assert value.tolist() == [0.0, 2.0] and changed == [0]
    value, changed = student.double.call_reporting_changes(np.array([-1.0, 2.0]))
    assert value.tolist() == [-2.0, 4.0] and changed == []
    node = student.Node(2.0)
    value, changed = node.forward.call_reporting_changes(x=np.ones(2))
    assert changed == []


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


def test_names_are_replaced_for_a_while_in_one_round_trip_each_way(
        session: StudentSession) -> None:
    student = session.load("student")
    assert session.load("student") is student  # one import per worker, not one per test
    start = next(session.request_ids)
    with checks.replaced(student, calls=100, absent_name="x"):
        assert student.calls == 100 and student.absent_name == "x"
    assert next(session.request_ids) == start + 5  # swap, two reads, swap back
    assert student.calls == 0 and student.absent_name is None


def test_a_module_is_imported_again_by_a_new_worker(session: StudentSession) -> None:
    student = session.load("student")
    with pytest.raises(StudentCrashed):
        student.hard_exit()
    again = session.load("student")
    assert again is not student and again.count() == 1


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


# ----------------------------------------------------------------------------- hostile code


def test_shadowing_files_are_not_imported_by_the_worker(session: StudentSession) -> None:
    """numpy.py and conftest.py beside the student's file: the worker imported numpy
    before the student's folder joined sys.path, so the student gets the real one."""
    assert session.load("student").where_is_numpy().endswith("numpy/__init__.py")


def test_environment_is_cleared(session: StudentSession) -> None:
    environment = session.load("student").environment()
    assert set(environment) <= {*bwrap.worker_env("/tmp"), "PWD"}
    assert environment["OPENBLAS_NUM_THREADS"] == "1"


def test_import_that_ends_the_process_costs_one_restart(session: StudentSession) -> None:
    for _ in range(3):
        with pytest.raises(StudentCrashed, match="while it was being imported"):
            session.load("exits_at_import")
    assert (session.generation, session.restarts) == (1, 0)  # not imported again
    assert session.load("student").double(np.ones(1)).tolist() == [2.0]
    assert session.restarts == 1


def test_scratch_is_capped_as_a_whole(session: StudentSession, request: pytest.FixtureRequest
                                      ) -> None:
    """14 files of 15 MB, each under the per-file limit: bubblewrap's tmpfs runs out of
    space; the fallback's scratch is on the judge's disk, and the judge's disk watch ends
    the worker ("disk limit") before the result counts. The next call starts afresh."""
    if request.node.callspec.params["session"][0] == FALLBACK:
        with pytest.raises(StudentDiskLimit, match="128 MB"):
            session.load("student").fill_scratch()
    else:
        with pytest.raises(StudentException, match="No space left on device"):
            session.load("student").fill_scratch()
    assert session.load("student").double(np.ones(1)).tolist() == [2.0]


def test_many_small_files_reach_the_limit_too(session: StudentSession,
                                              request: pytest.FixtureRequest) -> None:
    if request.node.callspec.params["session"][0] != FALLBACK:
        pytest.skip("a tmpfs caps its own inodes")
    with pytest.raises(StudentDiskLimit):
        session.load("student").many_files(3000)
    assert session.load("student").double(np.ones(1)).tolist() == [2.0]


def test_links_planted_in_the_scratch_are_not_followed(session: StudentSession,
                                                       tmp_path: Path) -> None:
    """Without namespaces the student's code can replace data/ by a link; restarting
    the worker must not make the (unconfined) judge copy files through it."""
    victim = tmp_path / "victim"
    victim.mkdir()
    with pytest.raises(StudentCrashed):
        session.load("student").plant_links(str(victim))
    assert session.load("student").double(np.ones(1)).tolist() == [2.0]
    assert list(victim.iterdir()) == []


def test_memory_outside_the_address_space_limit_is_refused(session: StudentSession) -> None:
    assert session.load("student").memory_outside_limits() == [
        "memfd_create", "shmget", "semget", "msgget"]


@pytest.mark.parametrize("isolation", [pytest.param(BUBBLEWRAP, marks=NO_BWRAP), FALLBACK])
def test_signalling_its_own_group_spares_the_zygote(isolation: str, spawners: dict,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """kill(0, SIGKILL) passes seccomp (the caller's own group). Without Landlock's
    signal scope (ABI < 6, simulated here) only the worker's own session stops it."""
    monkeypatch.setenv("GRADER_ZYGOTE", "1")
    workers = spawners.setdefault((isolation, True), Spawner(isolation))
    files = {"student.py": STUDENT.encode()}
    workspace = workers.workspace(files, None)
    zygote = workers.zygote
    assert zygote is not None
    limits = Limits(call_timeout=2.0)

    class WithoutLandlock(ZygoteWorker):
        def config(self, root: str, read_only: list[str], read_write: list[str]) -> dict:
            return dict(super().config(root, read_only, read_write), landlock=False)

    def start(poison: list, poison_modules: list) -> Worker:
        workspace.reset_scripts(files)
        worker = WithoutLandlock(zygote, workspace, limits, isolation)
        worker.start()
        return worker

    session = StudentSession(start, limits, {"student": "student"})
    try:
        try:
            session.load("student").kill_own_group()
        except StudentCrashed:
            pass
        assert zygote.alive()
        assert session.load("student").double(np.ones(1)).tolist() == [2.0]
    finally:
        session.close()
        workspace.remove()


def test_reading_an_endless_iterable_stops(session: StudentSession,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteObject, "MAX_ITEMS", 300)
    monkeypatch.setattr(RemoteObject, "MAX_BYTES", 8 * 2**20)
    student = session.load("student")
    with pytest.raises(StudentException, match="did not come to an end"):
        for _ in student.endless():
            pass
    with pytest.raises(StudentException, match="did not come to an end"):
        np.asarray(student.chameleon(), dtype=float)  # numpy reads __iter__, not __len__


def test_undecodable_output_and_messages_become_text(session: StudentSession) -> None:
    with pytest.raises(StudentException) as error:
        session.load("student").undecodable()
    assert "bad \ufffd text" in error.value.message["en"]
    output = session.take_output()
    assert "bytes \ufffd\ufffd" in output and "lone \ufffd" in output
    output.encode("utf-8")


def test_forged_reports_are_not_trusted(session: StudentSession) -> None:
    with pytest.raises(StudentException, match="forged report"):
        session.load("student").forge_error()


def test_threads_and_atexit_hooks_die_with_the_worker(session: StudentSession) -> None:
    assert session.load("student").linger() == "started"
    worker = session.worker
    assert worker is not None
    worker.kill()
    time.sleep(0.2)  # under bwrap the sandbox's own processes go a moment after bwrap
    written = worker.stray_output(1 << 20)
    time.sleep(0.3)
    assert worker.stray_output(1 << 20) == written
    assert "tick" in written and "ATEXIT" not in written


def test_fallback_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADER_ISOLATION", raising=False)
    monkeypatch.setattr(isolation, "_probe_result", {"result": "bwrap is not installed"})
    monkeypatch.setattr(isolation, "_warned", False)
    with pytest.warns(RuntimeWarning, match="No namespace sandbox") as warned:
        assert isolation.choose_isolation("auto") == FALLBACK
        assert isolation.choose_isolation("auto") == FALLBACK
    assert len(warned) == 1
    with pytest.raises(isolation.IsolationUnavailable, match="bubblewrap was requested"):
        isolation.choose_isolation("bubblewrap")


def test_libraries_import_after_the_fork(session: StudentSession) -> None:
    """Nothing hides Python's libraries from a worker, wherever they live (a virtual
    environment under /tmp included: the private /tmp must not cover it)."""
    assert session.load("student").late_import() == "tqdm"
