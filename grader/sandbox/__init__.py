"""Starting student workers: a scratch directory, limits, and bubblewrap when present.

A worker is one sandbox per submission, never shared between students. It sees:

* its scratch directory as the course layout: ``scripts/`` (the student's files),
  ``data/`` (the assignment's data, read-only under bubblewrap), ``outputs/``, ``tmp/``;
  under bubblewrap it is a size-capped tmpfs holding a copy of the files (``scratch_mb``),
  without it a folder on the judge's disk that is reset, links and all, at every start,
  and whose size the judge watches;
* Python, its libraries and ``grader/worker`` read-only;
* nothing else: not ``reference/``, not the hidden tests, not the gradebook, not other
  students. With bubblewrap this holds by construction (namespaces: no network, own
  PID space, read-only system, private tmpfs); without it the worker's own Landlock
  rules and seccomp filter do what the kernel allows (see ``grader.worker.confine``).

Rooms of this package:

* ``isolation``: which sandbox this machine gives (probed once), and how to describe it;
* ``workspace``: the scratch directory, reset without following links;
* ``bwrap``: bubblewrap's command line, the worker's environment and boot command;
* ``workers``: a running worker (channel, hello, exit), a process per submission, and
  the fallback's disk watch;
* ``zygote``: the judge's half of the zygote (the other half is ``grader.worker.zygote``,
  the protocol between them ``grader.worker.zygote_protocol``);
* ``spawner``: one per judge process, starting workers through the zygote when it can.

Which isolation was in force is recorded with every result.
"""

from grader.sandbox.isolation import (BUBBLEWRAP, FALLBACK, IsolationUnavailable,
                                      bubblewrap_problem, choose_isolation, describe_isolation)
from grader.sandbox.spawner import Spawner
from grader.sandbox.workers import ProcessWorker, Worker, WorkerStartError
from grader.sandbox.workspace import Workspace
from grader.sandbox.zygote import Zygote, ZygoteWorker

__all__ = ["BUBBLEWRAP", "FALLBACK", "IsolationUnavailable", "ProcessWorker", "Spawner",
           "Worker", "WorkerStartError", "Workspace", "Zygote", "ZygoteWorker",
           "bubblewrap_problem", "choose_isolation", "describe_isolation"]
