"""The job's current worker: started on first use, replaced after a crash or a timeout.

Each replacement spends one restart of the job's budget (``Limits.max_restarts``); when
it is used up, the remaining calls fail at once instead of paying start-up again and
again. Objects of a worker that ended belong to its *generation* and cannot be used
with the next one.
"""

from __future__ import annotations

from collections.abc import Callable

from grader import i18n
from grader.judge.errors import GraderFault, StudentCrashed
from grader.judge.output import OutputKeeper
from grader.manifest import Limits
from grader.sandbox import Worker, WorkerStartError

StartWorker = Callable[[list, list], Worker]
"""``start_worker(poisoned_functions, poisoned_modules)`` -> a started worker."""


class WorkerLifecycle:
    """Starts, counts and ends the workers of one job."""

    def __init__(self, start_worker: StartWorker, limits: Limits) -> None:
        self.start_worker = start_worker
        self.limits = limits
        self.worker: Worker | None = None
        self.generation = 0
        self.restarts = 0
        self.hello: dict = {}

    def current(self, functions: list, modules: list) -> Worker:
        """The running worker, or a new one (poisoned as given) within the budget."""
        if self.worker is not None:
            return self.worker
        if self.generation > 0:
            if self.restarts >= self.limits.max_restarts:
                raise StudentCrashed(i18n.message("student.too_many_crashes"))
            self.restarts += 1
        try:
            self.worker = self.start_worker(list(functions), list(modules))
        except WorkerStartError as error:
            raise GraderFault(str(error)) from None
        self.generation += 1
        self.hello = self.worker.hello
        return self.worker

    def discard(self, output: OutputKeeper) -> None:
        """End the running worker, keeping what it wrote outside print()."""
        if self.worker is not None:
            stray = self.worker.stray_output()
            if stray.strip():
                output.keep(f"[output outside print()]\n{stray}")
            self.worker.close()
            self.worker = None
