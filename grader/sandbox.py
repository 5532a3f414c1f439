"""Starting student workers: a scratch directory, limits, and bubblewrap when present.

A worker is one process per submission (never shared between students). It sees:

* its scratch directory as the course layout: ``scripts/`` (the student's files),
  ``data/`` (the assignment's data, read-only under bubblewrap), ``outputs/``, ``tmp/``;
* Python, its libraries and ``grader/worker`` read-only;
* nothing else: not ``reference/``, not the hidden tests, not the gradebook, not other
  students. With bubblewrap this holds by construction (namespaces: no network, own
  PID space, read-only system, private tmpfs); without it the worker's own Landlock
  rules and seccomp filter do what the kernel allows (see ``grader.worker.confine``).

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
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

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
    processes: int = 1
    """Processes the worker may have (seccomp refuses fork regardless)."""
    output_kb: int = 64
    """Captured output kept per job."""
    file_size_mb: int = 16
    """Largest file the student's code may write (including its stdout)."""
    scratch_mb: int = 128
    """Size of the private tmpfs under bubblewrap."""
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
        """(Re)write scripts/ from the submission, undoing whatever a previous run changed."""
        scripts = self.root / "scripts"
        shutil.rmtree(scripts, ignore_errors=True)
        scripts.mkdir()
        for name, content in files.items():
            target = (scripts / name).resolve()
            if not str(target).startswith(str(scripts) + os.sep):
                raise ValueError(f"refusing file name {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def populate_data(self) -> None:
        """Copy the data set in (the fallback has no read-only bind mount)."""
        if self.data_dir and self.data_dir.is_dir():
            shutil.copytree(self.data_dir, self.root / "data", dirs_exist_ok=True)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


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


_BOOT = ("import sys; sys.path.insert(0, {lib!r}); "
         "from grader.worker.server import main; main()")


@dataclass
class WorkerProcess:
    """A running worker: its process, its channel and how it was confined."""

    workspace: Workspace
    limits: Limits
    isolation: str
    poison: list[tuple[str, str]] = field(default_factory=list)
    poison_modules: list[str] = field(default_factory=list)
    sample_after: list[float] = field(default_factory=list)
    process: subprocess.Popen | None = None
    channel: Channel | None = None
    hello: dict = field(default_factory=dict)
    stray: object | None = None
    killed_by_us: bool = False

    def _config(self, fd: int, inside_root: str, read_only: list[str],
                read_write: list[str]) -> str:
        return json.dumps({
            "fd": fd,
            "student_root": f"{inside_root}/scripts",
            "cwd": f"{inside_root}/scripts",
            "limits": {"memory_mb": self.limits.memory_mb,
                       "cpu_seconds": self.limits.cpu_seconds,
                       "file_size_mb": self.limits.file_size_mb,
                       "processes": self.limits.processes},
            "output_chars": self.limits.output_kb * 1024,
            "read_only": read_only,
            "read_write": read_write,
            "poison": [list(item) for item in self.poison],
            "poison_modules": list(self.poison_modules),
            "sample_after": self.sample_after,
        })

    def _command(self, fd: int) -> tuple[list[str], str | None]:
        python = sys.executable
        system_ro = ["/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache",
                     "/sys/devices/system/cpu", "/proc/self", "/dev/urandom"]
        if self.isolation == BUBBLEWRAP:
            inside = SANDBOX_ROOT
            tmp = f"{inside}/tmp"
            command = [
                shutil.which("bwrap") or "bwrap",
                "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
                "--die-with-parent", "--new-session", "--hostname", "grader",
                "--ro-bind", "/usr", "/usr",
            ]
            for link in ("bin", "lib", "lib64", "sbin"):
                path = Path("/") / link
                if path.is_symlink():
                    command += ["--symlink", os.readlink(path), str(path)]
                elif path.is_dir():
                    command += ["--ro-bind", str(path), str(path)]
            command += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
            for path in _python_paths():
                command += ["--ro-bind", path, path]
            command += [
                "--ro-bind", str(GRADER_PACKAGE / "__init__.py"),
                f"{SANDBOX_LIB}/grader/__init__.py",
                "--ro-bind", str(WORKER_PACKAGE), f"{SANDBOX_LIB}/grader/worker",
                "--bind", str(self.workspace.root), inside,
            ]
            if self.workspace.data_dir and self.workspace.data_dir.is_dir():
                command += ["--ro-bind", str(self.workspace.data_dir), f"{inside}/data"]
            command += [
                "--size", str(self.limits.scratch_mb * 1024 * 1024), "--tmpfs", "/tmp",
                "--proc", "/proc", "--dev", "/dev",
                "--chdir", f"{inside}/scripts", "--clearenv",
            ]
            for key, value in _worker_env(tmp).items():
                command += ["--setenv", key, value]
            read_only = system_ro + _python_paths() + [SANDBOX_LIB, f"{inside}/data"]
            read_write = [inside, "/tmp", "/dev/null"]
            command += ["--", python, "-I", "-c", _BOOT.format(lib=SANDBOX_LIB),
                        self._config(fd, inside, read_only, read_write)]
            return command, None
        # Fallback: same interpreter, confined by the worker's own rlimits/Landlock/seccomp.
        self.workspace.populate_data()
        inside = str(self.workspace.root)
        lib = str(GRADER_PACKAGE.parent)
        read_only = system_ro + _python_paths() + [str(WORKER_PACKAGE),
                                                   str(GRADER_PACKAGE / "__init__.py")]
        read_write = [inside, "/dev/null"]
        command = [python, "-I", "-c", _BOOT.format(lib=lib),
                   self._config(fd, inside, read_only, read_write)]
        return command, f"{inside}/scripts"

    def start(self) -> None:
        parent, child = socket.socketpair()
        command, cwd = self._command(child.fileno())
        env = None
        if self.isolation != BUBBLEWRAP:
            env = _worker_env(str(self.workspace.root / "tmp"))
        self.stray = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=self.stray,
                stderr=subprocess.STDOUT, pass_fds=[child.fileno()], start_new_session=True)
        finally:
            child.close()
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

    def kill(self) -> None:
        """End the worker and everything it started."""
        if self.process is not None and self.process.poll() is None:
            self.killed_by_us = True
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.channel is not None:
            self.channel.sock.close()

    def wait_exit(self, timeout: float = 2.0) -> int | None:
        """The worker's exit status once it has ended by itself, None if it is still alive."""
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def exit_signal(self) -> int | None:
        """The signal that ended the worker, if one did."""
        if self.process is None or self.process.returncode is None:
            return None
        code = self.process.returncode
        if code < 0:
            return -code
        if self.isolation == BUBBLEWRAP and code > 128:
            return code - 128
        return None

    def stray_output(self, limit: int = 4096) -> str:
        """What the worker wrote to its file descriptors 1 and 2 (not through print)."""
        if self.stray is None:
            return ""
        self.stray.seek(0)  # type: ignore[attr-defined]
        data = self.stray.read(limit)  # type: ignore[attr-defined]
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        self.kill()
        if self.stray is not None:
            self.stray.close()  # type: ignore[attr-defined]
            self.stray = None


class WorkerStartError(RuntimeError):
    """The worker could not be started: a grader fault, not the student's."""


def describe_isolation(isolation: str, hello: dict) -> str:
    """One line for the report: what confined this submission's code."""
    parts = [isolation]
    if hello.get("landlock"):
        parts.append(f"landlock v{hello['landlock']}")
    if hello.get("seccomp"):
        parts.append("seccomp")
    return ", ".join(parts)
