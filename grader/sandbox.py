"""Starting student workers: a scratch directory, limits, and bubblewrap when present.

A worker is one sandbox per submission, never shared between students. It sees:

* its scratch directory as the course layout: ``scripts/`` (the student's files),
  ``data/`` (the assignment's data, read-only under bubblewrap), ``outputs/``, ``tmp/``;
  under bubblewrap it is a size-capped tmpfs holding a copy of the files (``scratch_mb``),
  without it a folder on the judge's disk that is reset, links and all, at every start;
* Python, its libraries and ``grader/worker`` read-only;
* nothing else: not ``reference/``, not the hidden tests, not the gradebook, not other
  students. With bubblewrap this holds by construction (namespaces: no network, own
  PID space, read-only system, private tmpfs); without it the worker's own Landlock
  rules and seccomp filter do what the kernel allows (see ``grader.worker.confine``).

Two ways to start one (the same confinement either way):

* ``ProcessWorker``: a new Python process per submission (under its own bwrap);
* ``ZygoteWorker``: a child forked from a warm zygote (``grader.worker.zygote``) that
  already imported numpy and matplotlib; the child enters its own PID, network, IPC and
  mount namespaces and drops its capabilities before any student code runs. This is
  the default: it saves about half a second per submission.

Which isolation was in force is recorded with every result.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import grader
from grader.worker.codec import FORMAT_VERSION, Channel, ProtocolError

GRADER_PACKAGE = Path(grader.__file__).resolve().parent
WORKER_PACKAGE = GRADER_PACKAGE / "worker"
SANDBOX_ROOT = "/submission"
SANDBOX_LIB = "/opt/nngrader"


@dataclass(frozen=True)
class Limits:
    """Resource limits for one job; defaults can be overridden per assignment manifest."""

    call_timeout: float = 10.0
    """Wall seconds one call into student code may take."""
    job_timeout: float = 180.0
    """Wall seconds for the whole job (all tests of one submission)."""
    cpu_seconds: int = 120
    """CPU seconds one worker process may use."""
    memory_mb: int = 2048
    """Address space of the worker (RLIMIT_AS)."""
    processes: int = 64
    """Tasks (threads) the worker may have, where RLIMIT_NPROC applies (seccomp refuses
    new processes regardless)."""
    output_kb: int = 64
    """Captured output kept per job."""
    file_size_mb: int = 16
    """Largest file the student's code may write (including its stdout)."""
    scratch_mb: int = 128
    """Size of the private tmpfs under bubblewrap (the scratch directory; /tmp too)."""
    max_restarts: int = 8
    """Worker restarts (after a crash or timeout) before the remaining tests are given up."""
    startup_timeout: float = 30.0
    """Wall seconds for a worker to start and say hello."""

    @classmethod
    def from_dict(cls, values: dict) -> Limits:
        known = {name for name in cls.__dataclass_fields__}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)


# ----------------------------------------------------------------------------- isolation

BUBBLEWRAP = "bubblewrap"
FALLBACK = "rlimits+landlock+seccomp"
_probe_lock = threading.Lock()
_probe_result: dict[str, str | None] = {}


def bubblewrap_problem() -> str | None:
    """None when bubblewrap works here, else why not (probed once per process)."""
    with _probe_lock:
        if "result" not in _probe_result:
            _probe_result["result"] = _probe_bubblewrap()
        return _probe_result["result"]


def _probe_bubblewrap() -> str | None:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bwrap is not installed (apt-get install bubblewrap)"
    try:
        result = subprocess.run(
            [bwrap, "--unshare-all", "--unshare-user", "--die-with-parent",
             "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
             "--proc", "/proc", "--dev", "/dev", "/bin/true"],
            capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap could not run: {error}"
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip()
        return f"bwrap cannot create namespaces here: {reason}"
    return None


_warned = False


def choose_isolation(requested: str = "auto") -> str:
    """Resolve ``auto``/``bubblewrap``/``fallback`` to the isolation that will be used."""
    global _warned
    requested = os.environ.get("GRADER_ISOLATION", requested)
    if requested in ("fallback", "rlimits", FALLBACK):
        return FALLBACK
    problem = bubblewrap_problem()
    if problem is None:
        return BUBBLEWRAP
    if requested == "bubblewrap":
        raise RuntimeError(f"bubblewrap was requested but {problem}")
    if not _warned:
        _warned = True
        warnings.warn(f"No namespace sandbox: {problem}. Student code runs with rlimits, "
                      "Landlock and seccomp only.", RuntimeWarning, stacklevel=2)
    return FALLBACK


# ----------------------------------------------------------------------------- workspace


@dataclass
class Workspace:
    """The scratch directory of one job, laid out like the course's assignment folder."""

    root: Path
    data_dir: Path | None

    @classmethod
    def create(cls, files: dict[str, bytes], data_dir: Path | None,
               base: Path | None = None) -> Workspace:
        root = Path(tempfile.mkdtemp(prefix="nngrader-", dir=base))
        os.chmod(root, 0o755)
        for sub in ("outputs", "tmp", "data"):
            (root / sub).mkdir()
        workspace = cls(root=root, data_dir=data_dir)
        workspace.reset_scripts(files)
        return workspace

    def reset_scripts(self, files: dict[str, bytes]) -> None:
        """(Re)write scripts/ from the submission and empty outputs/ and tmp/, undoing
        whatever a previous run changed (a worker restarts on a clean copy).

        Without namespaces the student's code can write here: a link it planted (say
        ``data -> /somewhere``) is removed, never followed, so the judge, which is not
        confined, never writes outside the scratch directory on its behalf.
        """
        for sub in ("outputs", "tmp"):
            _fresh_dir(self.root / sub)
        scripts = self.root / "scripts"
        _fresh_dir(scripts)
        for name, content in files.items():
            target = (scripts / name).resolve()
            if not str(target).startswith(str(scripts) + os.sep):
                raise ValueError(f"refusing file name {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def populate_data(self) -> None:
        """Copy the data set in, afresh (the fallback has no read-only bind mount)."""
        target = self.root / "data"
        _fresh_dir(target)
        if self.data_dir and self.data_dir.is_dir():
            shutil.copytree(self.data_dir, target, dirs_exist_ok=True)

    def remove(self) -> None:
        _remove_tree(self.root)


def _remove_tree(path: Path) -> None:
    """Remove a directory tree without following links, even folders the student's code
    made read-only (chmod needs no Landlock right)."""
    shutil.rmtree(path, ignore_errors=True)
    if path.is_dir() and not path.is_symlink():
        os.chmod(path, 0o700)
        for folder, subfolders, _ in os.walk(path):
            for name in subfolders:
                if not os.path.islink(os.path.join(folder, name)):
                    os.chmod(os.path.join(folder, name), 0o700)
        shutil.rmtree(path, ignore_errors=True)


def _fresh_dir(path: Path) -> None:
    """An empty directory at ``path``, whatever was there (a link is removed, not followed)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        _remove_tree(path)
    path.mkdir()


# ----------------------------------------------------------------------------- process


def _python_paths() -> list[str]:
    """Directories the interpreter and its site-packages live in."""
    paths = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix}
    executable = os.path.realpath(sys.executable)
    paths.add(os.path.dirname(os.path.dirname(executable)))
    return sorted(path for path in paths if not path.startswith("/usr/"))


def _worker_env(tmp: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": tmp,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": os.path.join(tmp, "matplotlib"),
    }


_SYSTEM_READ_ONLY = ["/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache",
                     "/sys/devices/system/cpu", "/proc/self", "/dev/urandom"]
_BOOT = ("import sys; sys.path.insert(0, {lib!r}); "
         "from grader.worker.{module} import main; main()")


def _bwrap_base(tmp_mb: int, env_tmp: str) -> list[str]:
    """bubblewrap arguments shared by every sandbox: read-only system and Python,
    the worker package, private /tmp, /proc and /dev, a cleared environment."""
    # bubblewrap applies mounts in order: the private /tmp (and /proc, /dev) first, so
    # that a Python environment or checkout under /tmp is bound on top of it, not hidden.
    command = [shutil.which("bwrap") or "bwrap",
               "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
               "--die-with-parent", "--new-session", "--hostname", "grader",
               "--size", str(tmp_mb * 1024 * 1024), "--tmpfs", "/tmp",
               "--proc", "/proc", "--dev", "/dev",
               "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        top = Path("/") / link
        if top.is_symlink():
            command += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            command += ["--ro-bind", str(top), str(top)]
    command += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for path in _python_paths():
        command += ["--ro-bind", path, path]
    command += ["--ro-bind", str(GRADER_PACKAGE / "__init__.py"),
                f"{SANDBOX_LIB}/grader/__init__.py",
                "--ro-bind", str(WORKER_PACKAGE), f"{SANDBOX_LIB}/grader/worker",
                "--clearenv"]
    for key, value in _worker_env(env_tmp).items():
        command += ["--setenv", key, value]
    return command


def worker_config(limits: Limits, root: str, read_only: list[str], read_write: list[str],
                  poison: list, poison_modules: list, sample_after: list[float]) -> dict:
    """What the worker needs to know (``grader.worker.server.run_worker``)."""
    return {
        "student_root": f"{root}/scripts",
        "cwd": f"{root}/scripts",
        "limits": {"memory_mb": limits.memory_mb, "cpu_seconds": limits.cpu_seconds,
                   "file_size_mb": limits.file_size_mb, "processes": limits.processes},
        # Room left for the worker's note of what it dropped within the job's own cap.
        "output_chars": limits.output_kb * 1024 - 256,
        "read_only": read_only,
        "read_write": read_write,
        "poison": [list(item) for item in poison],
        "poison_modules": list(poison_modules),
        "sample_after": sample_after,
    }


class WorkerStartError(RuntimeError):
    """The worker could not be started: a grader fault, not the student's."""


# ----------------------------------------------------------------------------- workers


class Worker(ABC):
    """A running worker: its channel, how it was confined, and how it ended."""

    def __init__(self, workspace: Workspace, limits: Limits, isolation: str,
                 poison: list | None = None, poison_modules: list | None = None,
                 sample_after: list[float] | None = None) -> None:
        self.workspace = workspace
        self.limits = limits
        self.isolation = isolation
        self.poison = list(poison or [])
        self.poison_modules = list(poison_modules or [])
        self.sample_after = list(sample_after or [])
        self.channel: Channel | None = None
        self.hello: dict = {}
        self.stray = tempfile.TemporaryFile()
        self.exit_code: int | None = None

    def config(self, root: str, read_only: list[str], read_write: list[str]) -> dict:
        return worker_config(self.limits, root, read_only, read_write, self.poison,
                             self.poison_modules, self.sample_after)

    def _await_hello(self, parent: socket.socket) -> None:
        self.channel = Channel(parent)
        parent.settimeout(self.limits.startup_timeout)
        try:
            hello = self.channel.receive()
        except (OSError, EOFError, ProtocolError) as error:
            self.kill()
            raise WorkerStartError(f"worker did not start: {error}; {self.stray_output()}") \
                from None
        if hello.get("hello", {}).get("version") != FORMAT_VERSION:
            self.kill()
            raise WorkerStartError(f"worker spoke another protocol: {hello!r}")
        self.hello = hello["hello"]

    @abstractmethod
    def start(self) -> None:
        """Start the worker and wait for its hello."""

    @abstractmethod
    def kill(self) -> None:
        """End the worker and everything it started."""

    @abstractmethod
    def wait_exit(self, timeout: float = 2.0) -> int | None:
        """The worker's exit status once it has ended by itself, None if still alive."""

    def exit_signal(self) -> int | None:
        """The signal that ended the worker, if one did (statuses above 128 mean one)."""
        code = self.exit_code
        if code is None:
            return None
        if code < 0:
            return -code
        return code - 128 if code > 128 else None

    def stray_output(self, limit: int = 4096) -> str:
        """What the worker wrote to its file descriptors 1 and 2 (not through print)."""
        if self.stray is None:
            return ""
        self.stray.seek(0)
        return self.stray.read(limit).decode("utf-8", errors="replace")

    def close(self) -> None:
        self.kill()
        if self.channel is not None:
            self.channel.sock.close()
        if self.stray is not None:
            self.stray.close()
            self.stray = None  # type: ignore[assignment]


class ProcessWorker(Worker):
    """A fresh Python process for one submission (under its own bwrap when available)."""

    process: subprocess.Popen | None = None
    copy_fds: list[int]

    def _command(self, fd: int) -> tuple[list[str], str | None, dict | None]:
        python = sys.executable
        if self.isolation == BUBBLEWRAP:
            # The scratch is a size-capped tmpfs holding a copy of scripts/ (bwrap --file
            # copies each file in from a descriptor): the student's code writes into
            # its own memory, never onto the judge's disk.
            inside = SANDBOX_ROOT
            command = _bwrap_base(self.limits.scratch_mb, f"{inside}/tmp")
            command += ["--size", str(self.limits.scratch_mb * 1024 * 1024),
                        "--tmpfs", inside]
            for sub in ("scripts", "outputs", "tmp", "data"):
                command += ["--dir", f"{inside}/{sub}"]
            scripts = self.workspace.root / "scripts"
            for path in sorted(scripts.iterdir()):
                if path.is_file() and not path.is_symlink():
                    source = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
                    self.copy_fds.append(source)
                    command += ["--file", str(source), f"{inside}/scripts/{path.name}"]
            if self.workspace.data_dir and self.workspace.data_dir.is_dir():
                command += ["--ro-bind", str(self.workspace.data_dir), f"{inside}/data"]
            command += ["--chdir", f"{inside}/scripts"]
            read_only = _SYSTEM_READ_ONLY + _python_paths() + [SANDBOX_LIB, f"{inside}/data"]
            config = self.config(inside, read_only, [inside, "/tmp", "/dev/null"])
            config["fd"] = fd
            command += ["--", python, "-I", "-c",
                        _BOOT.format(lib=SANDBOX_LIB, module="server"), json.dumps(config)]
            return command, None, None
        # Fallback: same interpreter, confined by the worker's own rlimits/Landlock/seccomp.
        self.workspace.populate_data()
        root = str(self.workspace.root)
        read_only = _SYSTEM_READ_ONLY + _python_paths() + [
            str(WORKER_PACKAGE), str(GRADER_PACKAGE / "__init__.py")]
        config = self.config(root, read_only, [root, "/dev/null"])
        config["fd"] = fd
        command = [python, "-I", "-c", _BOOT.format(lib=str(GRADER_PACKAGE.parent),
                                                     module="server"), json.dumps(config)]
        return command, f"{root}/scripts", _worker_env(str(self.workspace.root / "tmp"))

    def start(self) -> None:
        parent, child = socket.socketpair()
        self.copy_fds = []
        try:
            command, cwd, env = self._command(child.fileno())
            self.process = subprocess.Popen(
                command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=self.stray,
                stderr=subprocess.STDOUT, pass_fds=[child.fileno(), *self.copy_fds],
                start_new_session=True)
        finally:
            child.close()
            for fd in self.copy_fds:
                os.close(fd)
        self._await_hello(parent)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process is not None and self.exit_code is None:
            self.exit_code = self.process.poll()

    def wait_exit(self, timeout: float = 2.0) -> int | None:
        if self.process is None:
            return None
        try:
            self.exit_code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return self.exit_code


# ----------------------------------------------------------------------------- zygote


def sweep_stale_jobs() -> None:
    """Remove scratch folders of judges that died without cleaning up (killed -9)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob("nngrader-jobs-*"):
        parts = folder.name.split("-")
        if len(parts) < 4 or not parts[2].isdigit():
            continue
        try:
            os.kill(int(parts[2]), 0)
        except ProcessLookupError:
            _remove_tree(folder)
        except PermissionError:
            continue


class Zygote:
    """A warm process that forks workers (one per judge process; see worker/zygote.py)."""

    def __init__(self, isolation: str, preload: list[str], tmp_mb: int = 256) -> None:
        self.isolation = isolation
        self.preload = preload
        self.tmp_mb = tmp_mb
        sweep_stale_jobs()
        self.jobs_dir = Path(tempfile.mkdtemp(prefix=f"nngrader-jobs-{os.getpid()}-"))
        os.chmod(self.jobs_dir, 0o755)
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.ids = iter(range(1, 1 << 62))
        self.events: dict[int, dict] = {}
        self.forgotten: set[int] = set()
        self.cond = threading.Condition()
        self.log = tempfile.TemporaryFile()
        self.reader: threading.Thread | None = None
        self.send_lock = threading.Lock()

    @property
    def namespaces(self) -> bool:
        return self.isolation == BUBBLEWRAP

    @property
    def inside_jobs(self) -> str:
        return "/jobs" if self.namespaces else str(self.jobs_dir)

    def start(self, timeout: float = 60.0) -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"control_fd": child.fileno(), "preload": self.preload,
                  "namespaces": self.namespaces, "jobs_dir": self.inside_jobs,
                  "inside": SANDBOX_ROOT, "python_paths": _python_paths()}
        python = sys.executable
        if self.namespaces:
            command = _bwrap_base(self.tmp_mb, "/tmp")
            command += ["--cap-add", "CAP_SYS_ADMIN", "--bind", str(self.jobs_dir), "/jobs",
                        "--dir", SANDBOX_ROOT, "--chdir", "/",
                        "--", python, "-I", "-c",
                        _BOOT.format(lib=SANDBOX_LIB, module="zygote"), json.dumps(config)]
            env = None
        else:
            command = [python, "-I", "-c", _BOOT.format(lib=str(GRADER_PACKAGE.parent),
                                                         module="zygote"), json.dumps(config)]
            env = _worker_env(str(self.jobs_dir))
        try:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                stderr=subprocess.STDOUT, pass_fds=[child.fileno()], start_new_session=True)
        finally:
            child.close()
        self.control = parent
        parent.settimeout(timeout)
        try:
            ready = json.loads(parent.recv(1 << 16) or b"{}")
        except (OSError, ValueError) as error:
            self.close()
            raise WorkerStartError(f"zygote did not start: {error}: {self.last_log()}") \
                from None
        if "ready" not in ready:
            self.close()
            raise WorkerStartError(f"zygote did not start: {self.last_log()}")
        parent.settimeout(None)
        self.reader = threading.Thread(target=self._read, daemon=True, name="zygote-reader")
        self.reader.start()

    def _read(self) -> None:
        assert self.control is not None
        while True:
            try:
                data = self.control.recv(1 << 16)
            except OSError:
                data = b""
            with self.cond:
                if not data:
                    self.events[-1] = {"dead": True}
                    self.cond.notify_all()
                    return
                message = json.loads(data)
                key = message.get("spawned", message.get("exited"))
                if key in self.forgotten:
                    if "exited" in message:
                        self.forgotten.discard(key)
                    continue
                self.events.setdefault(key, {}).update(message)
                self.cond.notify_all()

    def alive(self) -> bool:
        return (self.process is not None and self.process.poll() is None
                and -1 not in self.events)

    def spawn(self, job: str, config: dict, channel_fd: int, output_fd: int,
              tmp_mb: int) -> int:
        spawn_id = next(self.ids)
        message = {"op": "spawn", "id": spawn_id, "job": job, "config": config,
                   "tmp_mb": tmp_mb}
        assert self.control is not None
        with self.send_lock:
            socket.send_fds(self.control, [json.dumps(message).encode()],
                            [channel_fd, output_fd])
        if not self._wait(lambda: "spawned" in self.events.get(spawn_id, {}), 30.0):
            raise WorkerStartError(f"zygote did not fork a worker: {self.last_log()}")
        return spawn_id

    def kill(self, spawn_id: int) -> None:
        if self.control is None or not self.alive():
            return
        with self.send_lock:
            try:
                self.control.send(json.dumps({"op": "kill", "id": spawn_id}).encode())
            except OSError:
                pass

    def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0 or -1 in self.events:
                    return predicate()
                self.cond.wait(left)
            return True

    def forget(self, spawn_id: int) -> None:
        """Nobody will ask for this worker's exit status: drop it when it comes."""
        with self.cond:
            self.forgotten.add(spawn_id)
            self.events.pop(spawn_id, None)

    def exit_status(self, spawn_id: int, timeout: float) -> int | None:
        self._wait(lambda: "exited" in self.events.get(spawn_id, {}), timeout)
        with self.cond:
            event = self.events.get(spawn_id, {})
            if "exited" in event:
                self.events.pop(spawn_id, None)
                return int(event["status"])
        return None

    def last_log(self, limit: int = 3000) -> str:
        self.log.seek(0, os.SEEK_END)
        size = self.log.tell()
        self.log.seek(max(0, size - limit))
        return self.log.read().decode("utf-8", "replace")

    def close(self) -> None:
        if self.control is not None:
            try:
                self.control.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.control.close()
            self.control = None
        if self.process is not None:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            self.process.wait()
            self.process = None
        shutil.rmtree(self.jobs_dir, ignore_errors=True)


class ZygoteWorker(Worker):
    """A worker forked from the zygote for one submission."""

    def __init__(self, zygote: Zygote, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zygote = zygote
        self.spawn_id: int | None = None

    def start(self) -> None:
        zygote = self.zygote
        self.workspace.populate_data()
        job = self.workspace.root.name
        if self.workspace.root.parent != zygote.jobs_dir:
            raise WorkerStartError("the workspace is not under the zygote's jobs directory")
        if zygote.namespaces:
            root = SANDBOX_ROOT
            read_only = _SYSTEM_READ_ONLY + _python_paths() + [SANDBOX_LIB]
            read_write = [root, "/tmp", "/dev/null"]
        else:
            root = str(self.workspace.root)
            read_only = _SYSTEM_READ_ONLY + _python_paths() + [
                str(WORKER_PACKAGE), str(GRADER_PACKAGE / "__init__.py")]
            read_write = [root, "/dev/null"]
        config = self.config(root, read_only, read_write)
        parent, child = socket.socketpair()
        try:
            self.spawn_id = zygote.spawn(job, config, child.fileno(), self.stray.fileno(),
                                         self.limits.scratch_mb)
        finally:
            child.close()
        self._await_hello(parent)

    def kill(self) -> None:
        if self.spawn_id is not None and self.exit_code is None:
            self.zygote.kill(self.spawn_id)
            self.exit_code = self.zygote.exit_status(self.spawn_id, 10.0)
            if self.exit_code is None:
                self.exit_code = -9

    def close(self) -> None:
        """End of the job: the worker is killed, its exit status no longer matters."""
        if self.spawn_id is not None and self.exit_code is None:
            self.zygote.kill(self.spawn_id)
            self.zygote.forget(self.spawn_id)
            self.exit_code = -9
        super().close()

    def wait_exit(self, timeout: float = 2.0) -> int | None:
        if self.spawn_id is None:
            return None
        if self.exit_code is None:
            self.exit_code = self.zygote.exit_status(self.spawn_id, timeout)
        return self.exit_code


# ----------------------------------------------------------------------------- spawner

DEFAULT_PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot"]


class Spawner:
    """Starts workers for a judge process: through a zygote when possible.

    ``GRADER_ZYGOTE=0`` turns the zygote off (a fresh process per submission).
    """

    def __init__(self, isolation: str, preload: list[str] | None = None) -> None:
        self.isolation = isolation
        self.preload = preload or list(DEFAULT_PRELOAD)
        self.use_zygote = os.environ.get("GRADER_ZYGOTE", "1") != "0"
        self.zygote: Zygote | None = None

    def _zygote(self) -> Zygote | None:
        if not self.use_zygote:
            return None
        if self.zygote is not None and not self.zygote.alive():
            self.zygote.close()
            self.zygote = None
        if self.zygote is None:
            zygote = Zygote(self.isolation, self.preload)
            try:
                zygote.start()
            except WorkerStartError as error:
                warnings.warn(f"no zygote, starting one process per submission: {error}",
                              RuntimeWarning, stacklevel=2)
                self.use_zygote = False
                return None
            self.zygote = zygote
        return self.zygote

    def workspace(self, files: dict[str, bytes], data_dir: Path | None) -> Workspace:
        zygote = self._zygote()
        return Workspace.create(files, data_dir, base=zygote.jobs_dir if zygote else None)

    def start(self, workspace: Workspace, limits: Limits, poison: list, poison_modules: list,
              sample_after: list[float]) -> Worker:
        zygote = self.zygote if self.zygote is not None and workspace.root.parent == \
            self.zygote.jobs_dir else None
        worker: Worker
        if zygote is not None and zygote.alive():
            worker = ZygoteWorker(zygote, workspace, limits, self.isolation, poison,
                                  poison_modules, sample_after)
        else:
            worker = ProcessWorker(workspace, limits, self.isolation, poison, poison_modules,
                                   sample_after)
        worker.start()
        return worker

    def close(self) -> None:
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None


def describe_isolation(isolation: str, hello: dict) -> str:
    """One line for the report: what confined this submission's code."""
    parts = [isolation]
    if hello.get("namespaces"):
        parts.append("own " + "/".join(hello["namespaces"]) + " namespaces")
    if hello.get("landlock"):
        parts.append(f"landlock v{hello['landlock']}")
    if hello.get("seccomp"):
        parts.append("seccomp")
    return ", ".join(parts)
