"""Starting workers for a judge process: forked from a zygote when possible.

``GRADER_ZYGOTE=0`` turns the zygote off (a fresh process per submission), and a zygote
that cannot start is given up with one warning; either way the confinement is the same.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from grader.manifest import Limits
from grader.sandbox.workers import ProcessWorker, Worker, WorkerStartError
from grader.sandbox.workspace import Workspace
from grader.sandbox.zygote import Zygote, ZygoteWorker

DEFAULT_PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot"]


class Spawner:
    """Starts workers for a judge process: through a zygote when possible."""

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
