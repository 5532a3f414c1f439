"""A running student worker, and the way that starts one Python process per submission.

:class:`Worker` is what the judge's session holds: the channel to the worker, how it
was confined (its hello), what it wrote outside ``print`` and how it ended.
:class:`ProcessWorker` starts a new interpreter (under its own bwrap when available);
``grader.sandbox.zygote.ZygoteWorker`` forks one from a warm zygote instead.

In the fallback the scratch folder is on the judge's disk, so a :class:`DiskWatch`
polls its size and ends the worker when it outgrows ``Limits.scratch_mb`` (under
bubblewrap a size-capped tmpfs does that by itself).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from grader.manifest import Limits
from grader.sandbox import bwrap
from grader.sandbox.isolation import BUBBLEWRAP
from grader.sandbox.workspace import Workspace, tree_usage
from grader.worker.codec import FORMAT_VERSION, Channel, ProtocolError

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


class DiskWatch:
    """Ends a fallback worker whose scratch folder outgrows its limit.

    A thread polls the folder every ``interval`` seconds; when it holds more than
    ``limit_bytes`` or ``limit_entries`` files and folders it sets ``exceeded`` and calls
    ``stop_worker`` (which must only send a signal: it runs on the watch thread).
    """

    def __init__(self, root: str, limit_bytes: int, limit_entries: int,
                 stop_worker: Callable[[], None], interval: float = 0.2) -> None:
        self.root = root
        self.limit_bytes = limit_bytes
        self.limit_entries = limit_entries
        self.stop_worker = stop_worker
        self.interval = interval
        self.exceeded = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="disk-watch")
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            if self.check():
                return

    def check(self) -> bool:
        """Measure now; True (and the worker stopped) when the folder is over its limit.

        The judge also calls this after every reply, so a burst of writing that ends
        between two polls is caught before its result counts.
        """
        if not self.exceeded:
            used, entries = tree_usage(Path(self.root), self.limit_bytes,
                                       self.limit_entries)
            if used > self.limit_bytes or entries > self.limit_entries:
                self.exceeded = True
                self.stop_worker()
        return self.exceeded

    def stop(self) -> None:
        self._done.set()


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
        self.disk_watch: DiskWatch | None = None

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
        if self.isolation != BUBBLEWRAP:
            self.disk_watch = DiskWatch(str(self.workspace.root),
                                        self.limits.scratch_mb * 1024 * 1024,
                                        self.limits.scratch_files, self.signal_kill)

    @property
    def disk_exceeded(self) -> bool:
        """The worker was ended because its scratch folder grew past the limit."""
        return self.disk_watch is not None and self.disk_watch.exceeded

    def over_disk_limit(self) -> bool:
        """Check the scratch folder now (fallback only); True when the worker was ended."""
        return self.disk_watch is not None and self.disk_watch.check()

    @abstractmethod
    def start(self) -> None:
        """Start the worker and wait for its hello."""

    @abstractmethod
    def kill(self) -> None:
        """End the worker and everything it started."""

    @abstractmethod
    def signal_kill(self) -> None:
        """Send the worker SIGKILL without waiting (safe from another thread)."""

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
        if self.disk_watch is not None:
            self.disk_watch.stop()
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
        if self.isolation == BUBBLEWRAP:
            # The scratch is a size-capped tmpfs holding a copy of scripts/ (bwrap --file
            # copies each file in from a descriptor): the student's code writes into
            # its own memory, never onto the judge's disk.
            inside = bwrap.SANDBOX_ROOT
            command = bwrap.bwrap_base(self.limits.scratch_mb, f"{inside}/tmp")
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
            read_only = bwrap.SYSTEM_READ_ONLY + bwrap.python_paths() + [
                bwrap.SANDBOX_LIB, f"{inside}/data"]
            config = self.config(inside, read_only, [inside, "/tmp", "/dev/null"])
            config["fd"] = fd
            command += ["--", *bwrap.boot_command("server", json.dumps(config),
                                                  inside_bwrap=True)]
            return command, None, None
        # Fallback: same interpreter, confined by the worker's own rlimits/Landlock/seccomp.
        self.workspace.populate_data()
        root = str(self.workspace.root)
        config = self.config(root, bwrap.fallback_read_only(), [root, "/dev/null"])
        config["fd"] = fd
        command = bwrap.boot_command("server", json.dumps(config), inside_bwrap=False)
        return command, f"{root}/scripts", bwrap.worker_env(str(self.workspace.root / "tmp"))

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

    def signal_kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.signal_kill()
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
