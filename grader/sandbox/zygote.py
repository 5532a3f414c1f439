"""The judge's half of the zygote: start it, ask it to fork workers, learn how they end.

The other half runs inside the sandbox (``grader.worker.zygote``); the messages between
them are typed and versioned in ``grader.worker.zygote_protocol``. One zygote serves
one judge process; each submission still gets a sandbox of its own, forked fresh.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.sandbox import bwrap
from grader.sandbox.isolation import BUBBLEWRAP
from grader.sandbox.workers import Worker, WorkerStartError
from grader.sandbox.workspace import remove_tree
from grader.worker import zygote_protocol as protocol

_DEAD = -1
"""Key under which the reader thread records that the zygote has gone."""


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
            remove_tree(folder)
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
        self.spawned: set[int] = set()
        self.exits: dict[int, int] = {}
        self.forgotten: set[int] = set()
        self.cond = threading.Condition()
        self.log = tempfile.TemporaryFile()
        self.reader: threading.Thread | None = None
        self.send_lock = threading.Lock()
        self.dead = False

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
                  "inside": bwrap.SANDBOX_ROOT, "python_paths": bwrap.python_paths()}
        if self.namespaces:
            command = bwrap.bwrap_base(self.tmp_mb, "/tmp")
            command += ["--cap-add", "CAP_SYS_ADMIN", "--bind", str(self.jobs_dir), "/jobs",
                        "--dir", bwrap.SANDBOX_ROOT, "--chdir", "/", "--",
                        *bwrap.boot_command("zygote", json.dumps(config), inside_bwrap=True)]
            env = None
        else:
            command = bwrap.boot_command("zygote", json.dumps(config), inside_bwrap=False)
            env = bwrap.worker_env(str(self.jobs_dir))
        try:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                stderr=subprocess.STDOUT, pass_fds=[child.fileno()], start_new_session=True)
        finally:
            child.close()
        self.control = parent
        parent.settimeout(timeout)
        try:
            ready = protocol.decode(parent.recv(1 << 16))
        except (OSError, protocol.ZygoteProtocolError) as error:
            self.close()
            raise WorkerStartError(f"zygote did not start: {error}: {self.last_log()}") \
                from None
        if not isinstance(ready, protocol.Ready) or ready.version != protocol.VERSION:
            self.close()
            raise WorkerStartError(f"zygote spoke another protocol ({ready!r}): "
                                   f"{self.last_log()}")
        parent.settimeout(None)
        self.reader = threading.Thread(target=self._read, daemon=True, name="zygote-reader")
        self.reader.start()

    def _read(self) -> None:
        assert self.control is not None
        while True:
            try:
                data = self.control.recv(1 << 16)
                message = protocol.decode(data) if data else None
            except (OSError, protocol.ZygoteProtocolError):
                message = None
            with self.cond:
                if message is None:
                    self.dead = True
                    self.cond.notify_all()
                    return
                if getattr(message, "id", None) in self.forgotten:
                    if isinstance(message, protocol.Exited):
                        self.forgotten.discard(message.id)
                    continue
                if isinstance(message, protocol.Spawned):
                    self.spawned.add(message.id)
                elif isinstance(message, protocol.Exited):
                    self.exits[message.id] = message.status
                self.cond.notify_all()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and not self.dead

    def _send(self, message: protocol.Message, fds: list[int] | None = None) -> None:
        assert self.control is not None
        with self.send_lock:
            if fds:
                socket.send_fds(self.control, [protocol.encode(message)], fds)
            else:
                self.control.send(protocol.encode(message))

    def spawn(self, job: str, config: dict, channel_fd: int, output_fd: int,
              tmp_mb: int) -> int:
        spawn_id = next(self.ids)
        self._send(protocol.Spawn(id=spawn_id, job=job, config=config, tmp_mb=tmp_mb),
                   [channel_fd, output_fd])
        if not self._wait(lambda: spawn_id in self.spawned, 30.0):
            raise WorkerStartError(f"zygote did not fork a worker: {self.last_log()}")
        with self.cond:
            self.spawned.discard(spawn_id)
        return spawn_id

    def kill(self, spawn_id: int) -> None:
        """Ask the zygote to SIGKILL one worker (no wait; safe from any thread)."""
        if self.control is None or not self.alive():
            return
        try:
            self._send(protocol.Kill(id=spawn_id))
        except OSError:
            pass

    def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0 or self.dead:
                    return predicate()
                self.cond.wait(left)
            return True

    def forget(self, spawn_id: int) -> None:
        """Nobody will ask for this worker's exit status: drop it when it comes."""
        with self.cond:
            self.forgotten.add(spawn_id)
            self.exits.pop(spawn_id, None)

    def exit_status(self, spawn_id: int, timeout: float) -> int | None:
        self._wait(lambda: spawn_id in self.exits, timeout)
        with self.cond:
            return self.exits.pop(spawn_id, None)

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
        remove_tree(self.jobs_dir)


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
            root = bwrap.SANDBOX_ROOT
            read_only = bwrap.SYSTEM_READ_ONLY + bwrap.python_paths() + [bwrap.SANDBOX_LIB]
            read_write = [root, "/tmp", "/dev/null"]
        else:
            root = str(self.workspace.root)
            read_only = bwrap.fallback_read_only()
            read_write = [root, "/dev/null"]
        config = self.config(root, read_only, read_write)
        parent, child = socket.socketpair()
        try:
            self.spawn_id = zygote.spawn(job, config, child.fileno(), self.stray.fileno(),
                                         self.limits.scratch_mb)
        finally:
            child.close()
        self._await_hello(parent)

    def signal_kill(self) -> None:
        if self.spawn_id is not None:
            self.zygote.kill(self.spawn_id)

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
