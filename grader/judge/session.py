"""One job's connection to the student's code: the request loop the proxies use.

A request is one message to the worker and one reply; while it waits, the session
serves *callbacks* (the student's code calling a function or object of the test's,
which runs here in the judge) and collects the watchdog's stack samples. A reply that
does not come in time is a timeout (``diagnosis``), a worker that goes away is a crash;
either way the worker is discarded and the next request starts a new one
(``lifecycle``), and the student's output is kept up to the job's limit (``output``).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from grader import i18n
from grader.judge import diagnosis
from grader.judge.errors import (GraderFault, StudentCrashed, StudentMissing, StudentTimeout,
                                 error_from_report)
from grader.judge.lifecycle import StartWorker, WorkerLifecycle
from grader.judge.output import OutputKeeper
from grader.judge.proxies import RemoteMethod, RemoteObject
from grader.manifest import Limits
from grader.sandbox import Worker
from grader.worker.codec import ProtocolError, Unencodable
from grader.worker.studentops import WORKER_FUNCTIONS


#: Requests that run the student's code (a poisoned label fails these at once).
RUNS_CODE = frozenset({"call", "call_method", "run_script", "import", "iter", "next"})


class StudentSession:
    """One job's connection to the student's code, restarting the worker when needed.

    ``start_worker(poison, poison_modules)`` returns a started :class:`grader.sandbox.Worker`.
    """

    def __init__(self, start_worker: StartWorker, limits: Limits,
                 modules: dict[str, str | None], job_deadline: float | None = None) -> None:
        self.limits = limits
        self.modules = modules  # logical name -> importable module name (None: missing)
        self.deadline = job_deadline or (time.monotonic() + limits.job_timeout)
        self.workers = WorkerLifecycle(start_worker, limits)
        self.poison = diagnosis.Poison()
        self.output = OutputKeeper(limits.output_kb * 1024)
        self.request_ids = itertools.count(1)
        self.crashed_imports: dict[str, StudentCrashed] = {}
        self.imported: dict[str, RemoteObject] = {}
        """Modules already imported by the current worker (tests ask for them often)."""
        self.callbacks: dict[int, Callable] = {}
        self.events: list[dict] = []
        self.last_changed: list = []
        """Array arguments the last call changed in place (asked for with watch_args)."""

    # ------------------------------------------------------------------ state
    @property
    def several_files(self) -> bool:
        """The submission has more than one graded file (messages say "the others were
        graded" only then)."""
        return sum(1 for module in self.modules.values() if module) > 1

    @property
    def worker(self) -> Worker | None:
        return self.workers.worker

    @property
    def generation(self) -> int:
        return self.workers.generation

    @property
    def restarts(self) -> int:
        return self.workers.restarts

    @property
    def hello(self) -> dict:
        return self.workers.hello

    @property
    def poisoned_labels(self) -> set[str]:
        return self.poison.labels

    @property
    def last_output(self) -> str:
        return self.output.last

    def take_output(self) -> str:
        return self.output.take()

    def close(self) -> None:
        self.workers.discard(self.output)

    def prestart(self) -> None:
        """Start the worker now (it would otherwise start on first use)."""
        self.workers.current(self.poison.functions, self.poison.modules)

    # ------------------------------------------------------------------ codec hooks
    def _export(self, value: Any) -> dict:
        if isinstance(value, RemoteObject):
            if value._generation != self.generation:
                raise StudentCrashed(i18n.message("student.lost_object"))
            return {"$h": value._handle}
        if isinstance(value, RemoteMethod):
            raise Unencodable("pass the student's object, not one of its bound methods")
        if isinstance(value, np.random.Generator):
            return {"$g": value.bit_generator.state}
        name = getattr(value, "__qualname__", None)
        if (getattr(value, "__module__", None) in ("studentops", "grader.worker.studentops")
                and name in WORKER_FUNCTIONS):
            return {"$w": name}  # a standard test function: runs in the worker, no round trips
        callback_id = len(self.callbacks) + 1
        self.callbacks[callback_id] = value
        if callable(value):
            return {"$c": callback_id}
        # Any other object of the test's (a reference model): its public methods
        # become callbacks, its state stays here.
        methods = sorted(name for name in dir(type(value))
                         if not name.startswith("_") and callable(getattr(type(value), name)))
        return {"$o": callback_id, "methods": methods}

    def _resolve(self, tag: str, value: dict) -> Any:
        if tag != "$h":
            raise ProtocolError(f"the worker may not send {tag}")
        handle, type_name, kind = value["$h"], value.get("type", "?"), value.get("kind", "object")
        methods = value.get("methods") or []
        if (type(handle) is not int or type(type_name) is not str or type(kind) is not str
                or type(methods) is not list or not all(type(m) is str for m in methods)):
            raise ProtocolError("bad handle")
        return RemoteObject(self, self.generation, handle, type_name, kind,
                            frozenset(methods), label=type_name)

    # ------------------------------------------------------------------ requests
    def request(self, op: str, label: str, **fields: Any) -> Any:
        """Send one request and wait for its reply, serving callbacks meanwhile.

        A call that timed out earlier in the job fails at once when it is *called* again;
        merely looking it up (a test fetching three functions at its top) still works, so
        a loop in one function costs only the tests that call it.
        """
        if op in RUNS_CODE and label in self.poison.labels:
            raise StudentTimeout(i18n.message("student.timeout_earlier", label=label))
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise StudentTimeout(i18n.message("student.job_timeout",
                                              seconds=self.limits.job_timeout))
        worker = self.workers.current(self.poison.functions, self.poison.modules)
        assert worker.channel is not None
        request_id = next(self.request_ids)
        fields.update(op=op, id=request_id)
        timeout = min(self.limits.call_timeout, remaining)
        started = time.monotonic()
        samples: list[list[dict]] = []
        try:
            worker.channel.send(fields, self._export)
            while True:
                left = started + timeout - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                worker.channel.sock.settimeout(left)
                message = worker.channel.receive(self._resolve)
                if "stack" in message:
                    samples.append(message["stack"] if isinstance(message["stack"], list) else [])
                    continue
                if "callback" in message:
                    self._serve_callback(worker, message)
                    continue
                if message.get("id") != request_id:
                    raise ProtocolError("reply to another request")
                if worker.over_disk_limit():
                    raise ConnectionError("the scratch folder outgrew its limit")
                self.output.keep_reply(message.get("out"))
                changed = message.get("changed")
                self.last_changed = [c for c in changed if type(c) in (int, str)][:50] \
                    if isinstance(changed, list) else []
                if "error" in message:
                    error = message["error"] if isinstance(message["error"], dict) else {}
                    raise error_from_report(error, self.limits, label,
                                            other_files=self.several_files)
                return message.get("value")
        except TimeoutError:
            stuck = self.poison.timed_out(label, samples, op == "import",
                                          fields.get("module", ""))
            self.events.append({"event": "timeout", "label": label, "where": stuck})
            self.workers.discard(self.output)
            raise diagnosis.timeout_error(timeout, stuck) from None
        except (EOFError, ConnectionError, ProtocolError, OSError) as error:
            importing = fields.get("module", "") if op == "import" else None
            crash = diagnosis.crash_error(worker, error, self.limits, importing,
                                          self.several_files)
            self.events.append({"event": "crash", "code": worker.exit_code,
                                "signal": worker.exit_signal(), "detail": str(error)[:200]})
            self.workers.discard(self.output)
            if importing is not None and isinstance(crash, StudentCrashed):
                # Importing is deterministic: a module whose import ends the process
                # (os._exit at top level) would cost a restart in every later test and
                # use up the restart budget meant for the other files.
                self.crashed_imports[importing] = crash
            raise crash from None

    def _serve_callback(self, worker: Worker, message: dict) -> None:
        assert worker.channel is not None
        function = self.callbacks.get(message["callback"])
        try:
            if function is None:
                raise KeyError("unknown callback")
            method = message.get("method")
            if method is not None:
                if not isinstance(method, str) or method.startswith("_"):
                    raise AttributeError("not a public method")
                function = getattr(function, method)
            value = function(*message.get("args", []), **message.get("kwargs", {}))
            worker.channel.send({"value": value}, self._export)
        except Exception as error:  # noqa: BLE001 - reported to the student's code
            worker.channel.send({"error": f"{type(error).__name__}: {error}"})

    # ------------------------------------------------------------------ modules
    def load(self, logical: str) -> RemoteObject:
        """Import a student module by its logical name (``"ex_02"`` -> ``ex_02_s123``)."""
        if logical not in self.modules:
            raise GraderFault(f"the suite asked for module {logical!r}, "
                              f"which the manifest does not declare")
        module = self.modules[logical]
        if module is None:
            raise StudentMissing(i18n.message("student.missing_file", file=f"{logical}.py"))
        self._check_import(module)
        known = self.imported.get(module)
        if known is not None and known._generation == self.generation \
                and self.worker is not None:
            return known
        value = self.request("import", label=module, module=module)
        if not isinstance(value, RemoteObject):
            raise StudentCrashed(i18n.message("student.protocol", detail="import"))
        object.__setattr__(value, "_label", module)
        if not (self.poison.functions or self.poison.modules):
            # Importing again would only re-apply poison to modules loaded since.
            self.imported[module] = value
        return value

    def run_script(self, logical: str) -> None:
        module = self.modules.get(logical)
        if module is None:
            raise StudentMissing(i18n.message("student.missing_file", file=f"{logical}.py"))
        self._check_import(module)
        self.request("run_script", label=f"{module} (script)", module=module)

    def _check_import(self, module: str) -> None:
        """Fail at once, as before, for a module whose import ended the worker earlier."""
        crash = self.crashed_imports.get(module)
        if crash is not None:
            raise StudentCrashed(crash.message, crash.details)

    def read_output_file(self, name: str, limit: int = 2_000_000) -> bytes | None:
        data = self.request("read_file", label="read_file", path=name, limit=limit)
        if data is not None and not isinstance(data, bytes):
            raise StudentCrashed(i18n.message("student.protocol", detail="read_file"))
        return data[:limit] if data else None
