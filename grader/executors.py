"""Executors: who runs the judge for each job.

``LocalExecutor`` (the default) keeps N warm judge processes (``grader.judge.serve``)
and feeds them jobs; results come back as they finish. A judge that dies or hangs is
killed and replaced, and its job gets an ``error`` result (a grader fault, never a
student's zero), so one bad job never stops the batch.

Executors take :class:`JobSpec` and yield :class:`JobResult`, plain data both ways, so
another executor (Dask, for scale-out) can be dropped in.
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Protocol

from grader.results import JobResult, JobSpec


class Executor(Protocol):
    def run(self, specs: Iterable[JobSpec]) -> Iterator[JobResult]: ...

    def close(self) -> None: ...


class JudgeDied(Exception):
    pass


class JudgeProcess:
    """One warm judge: a subprocess reading specs on stdin, writing results to a pipe."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.read_fd = -1
        self.buffer = b""
        self.log = tempfile.TemporaryFile()

    def start(self, timeout: float = 120.0) -> None:
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONHASHSEED="0",
                   OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grader.judge.serve", str(write_fd)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.log,
            pass_fds=[write_fd], env=env, start_new_session=True)
        os.close(write_fd)
        self.read_fd = read_fd
        self.buffer = b""
        message = self._read_line(timeout)
        if "ready" not in message:
            raise JudgeDied(f"judge did not start: {message}")

    def _read_line(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise JudgeDied(self.last_log())
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def grade(self, spec: JobSpec, timeout: float) -> JobResult:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        try:
            self.process.stdin.write((json.dumps(spec.to_dict()) + "\n").encode())
            self.process.stdin.flush()
            message = self._read_line(timeout)
        except TimeoutError:
            self.stop()
            return JobResult.crashed(spec, "", f"judge did not finish within {timeout:.0f} s")
        except (JudgeDied, BrokenPipeError, OSError, ValueError) as error:
            self.stop()
            return JobResult.crashed(spec, "", f"judge process died: {error}")
        return JobResult.from_dict(message["result"])

    def last_log(self, limit: int = 3000) -> str:
        try:
            self.log.seek(0, os.SEEK_END)
            size = self.log.tell()
            self.log.seek(max(0, size - limit))
            return self.log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, grace: float = 0.0) -> None:
        """End the judge: politely first (it then removes its zygote and scratch space),
        killed after ``grace`` seconds, or at once for a judge that hung."""
        if self.process is not None:
            if self.process.stdin:
                try:
                    self.process.stdin.close()
                except OSError:
                    pass
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1


class LocalExecutor:
    """N warm judges on this machine (``jobs`` defaults to the number of cores)."""

    def __init__(self, jobs: int | None = None, job_timeout: float = 600.0) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.job_timeout = job_timeout
        self.judges: list[JudgeProcess] = []

    def run(self, specs: Iterable[JobSpec]) -> Iterator[JobResult]:
        pending: queue.Queue[JobSpec | None] = queue.Queue()
        results: queue.Queue[JobResult | BaseException] = queue.Queue()
        count = 0
        for spec in specs:
            pending.put(spec)
            count += 1
        if count == 0:
            return
        workers = min(self.jobs, count)
        for _ in range(workers):
            pending.put(None)

        def serve(judge: JudgeProcess) -> None:
            try:
                while (spec := pending.get()) is not None:
                    results.put(judge.grade(spec, self.job_timeout))
            except BaseException as error:  # noqa: BLE001 - surfaced in the main thread
                results.put(error)

        threads = []
        for _ in range(workers):
            judge = JudgeProcess()
            self.judges.append(judge)
            thread = threading.Thread(target=serve, args=(judge,), daemon=True)
            thread.start()
            threads.append(thread)
        try:
            for _ in range(count):
                item = results.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.close()

    def close(self) -> None:
        for judge in self.judges:
            judge.stop(grace=5.0)
        self.judges.clear()
