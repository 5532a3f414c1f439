"""The judge's view of a student's code: proxies into the sandboxed worker.

A test written for a laptop (``gm = student("gradient_method"); gm.predict(x, w, b)``)
runs unchanged in grading: ``student`` returns a :class:`RemoteObject` for the module,
attribute access and calls become requests to the worker, and results come back as
plain data. Student objects (a ``Perceptron``) stay in the worker and are driven by
handle; a method call is one round trip.

Everything that can go wrong on the student's side becomes a :class:`StudentError`
subclass carrying a bilingual message and a status (timeout, crashed, memory, ...).
The session restarts the worker after a crash or timeout so later tests still run,
and remembers what hung, so an infinite loop costs its timeout once.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as np

from grader import i18n
from grader.i18n import Bilingual
from grader.sandbox import Limits, Worker, WorkerStartError
from grader.worker.codec import ProtocolError, Unencodable
from grader.worker.studentops import WORKER_FUNCTIONS

# ----------------------------------------------------------------------------- errors


class StudentError(Exception):
    """Something went wrong in the student's code; ``status`` says what kind.

    ``withheld`` is the message to show when the test is hidden: the same without any
    text the student's code chose (an exception's message could carry the hidden
    inputs it was given). The full message stays in ``details`` for the instructor.
    """

    status: ClassVar[str] = "failed"

    def __init__(self, message: Bilingual, details: str = "",
                 withheld: Bilingual | None = None) -> None:
        super().__init__(message["en"])
        self.message = message
        self.details = details
        self.withheld = withheld


class StudentException(StudentError):
    """The student's code raised an exception (``remote_type`` names it)."""

    def __init__(self, message: Bilingual, details: str, remote_type: str,
                 withheld: Bilingual | None = None) -> None:
        super().__init__(message, details, withheld)
        self.remote_type = remote_type


class StudentAttributeError(StudentException, AttributeError):
    """A missing attribute: an ``AttributeError`` so that ``hasattr`` works on proxies."""


class StudentNotImplemented(StudentException):
    status = "not_implemented"


class StudentTimeout(StudentError):
    status = "timeout"


class StudentCrashed(StudentError):
    status = "crashed"


class StudentMemory(StudentError):
    status = "memory"


class StudentForbidden(StudentError):
    status = "forbidden"


class StudentMissing(StudentError):
    status = "missing"


class GraderFault(Exception):
    """The grader itself could not do its job (not the student's fault)."""


def _where(frames: list[dict], lang_key: str = "student.at") -> Bilingual:
    if not frames:
        return i18n.same("")
    last = frames[-1]
    return i18n.message(lang_key, file=last["file"], line=last["line"],
                        function=last["function"])


def _format_frames(frames: list[dict]) -> str:
    return "\n".join(f'  File "{f["file"]}", line {f["line"]}, in {f["function"]}\n'
                     f'    {f["code"]}' for f in frames if "code" in f)


def _plain_frames(frames: Any) -> list[dict]:
    """The worker's traceback frames, keeping only well-formed ones (it may send anything)."""
    if not isinstance(frames, list):
        return []
    return [{"file": str(frame["file"])[:200], "line": int(frame["line"]),
             "function": str(frame["function"])[:200], "code": str(frame.get("code", ""))[:200]}
            for frame in frames[-20:]
            if isinstance(frame, dict) and isinstance(frame.get("line"), int)
            and isinstance(frame.get("file"), str) and isinstance(frame.get("function"), str)]


def error_from_report(info: dict, limits: Limits, label: str) -> StudentError:
    """Turn the worker's description of an exception into the matching StudentError."""
    kind = info.get("kind", "exception")
    frames = _plain_frames(info.get("frames"))
    remote_type = str(info.get("type", "Exception"))[:100]
    text = str(info.get("message", ""))[:2000]
    details = _format_frames(frames)
    if details:
        details = f"Traceback (your code only):\n{details}\n{remote_type}: {text}"
    where = _where(frames)
    syntax = info.get("syntax")
    if isinstance(syntax, dict) and isinstance(syntax.get("offset"), int) and \
            isinstance(syntax.get("text"), str):
        message = i18n.message("student.syntax_error", file=str(syntax.get("file"))[:200],
                               line=syntax.get("line"), msg=str(syntax.get("msg"))[:500])
        offset = min(max(syntax["offset"] - 1, 0), 200)
        code = f"{syntax['text'][:200]}\n{' ' * offset}^" if syntax["text"] else ""
        return StudentException(message, code, remote_type)
    if kind == "not_implemented":
        function = frames[-1]["function"] if frames else label
        return StudentNotImplemented(i18n.message("student.not_implemented", where=function),
                                     details, remote_type)
    if kind == "system_exit":
        code = "" if text == "None" else text
        shown = code if re.fullmatch(r"-?\d{1,3}", code or "0") else "…"
        return StudentCrashed(i18n.message("student.system_exit", code=code, where=where),
                              details, i18n.message("student.system_exit", code=shown,
                                                    where=where))
    if kind == "keyboard_interrupt":
        return StudentCrashed(i18n.message("student.keyboard_interrupt", where=where), details)
    if kind == "memory":
        return StudentMemory(i18n.message("student.memory", limit=limits.memory_mb,
                                          where=where), details)
    if kind == "forbidden":
        own_guard = text.endswith("is not allowed while grading") and len(text) < 120
        return StudentForbidden(i18n.message("student.forbidden", message=text), details,
                                None if own_guard else _withheld(remote_type, frames))
    if kind == "poisoned":
        return StudentTimeout(i18n.message("student.timeout_earlier", label=label), details)
    if kind == "recursion":
        return StudentException(i18n.message("student.recursion", where=where, message=text),
                                details, remote_type, _withheld(remote_type, frames))
    if kind == "encode":
        return StudentException(i18n.message("student.unencodable", what=label, detail=text),
                                details, remote_type)
    if frames:
        last = frames[-1]
        message = i18n.message("student.raised_at", file=last["file"], line=last["line"],
                               function=last["function"], type=remote_type, message=text)
    else:
        message = i18n.message("student.raised", type=remote_type, message=text)
    withheld = _withheld(remote_type, frames)
    system = re.match(r"\[Errno \d+\] [^:'\"]{1,60}", text)
    if system:  # the operating system's words (no file name): safe to show
        withheld = i18n.join(withheld, i18n.same(f"({system.group(0).strip()})"))
    if remote_type == "AttributeError":
        return StudentAttributeError(message, details, remote_type, withheld)
    return StudentException(message, details, remote_type, withheld)


def _withheld(remote_type: str, frames: list[dict]) -> Bilingual:
    """Where and what kind of exception, without the text the student's code chose."""
    if frames:
        last = frames[-1]
        return i18n.message("student.raised_at_hidden", file=last["file"], line=last["line"],
                            function=last["function"], type=remote_type)
    return i18n.message("student.raised_hidden", type=remote_type)


# ----------------------------------------------------------------------------- session


class StudentSession:
    """One job's connection to the student's code, restarting the worker when needed.

    ``start_worker(poison, poison_modules)`` returns a started :class:`grader.sandbox.Worker`.
    """

    def __init__(self, start_worker: Callable[[list, list], Worker], limits: Limits,
                 modules: dict[str, str | None], job_deadline: float | None = None) -> None:
        self.start_worker = start_worker
        self.limits = limits
        self.modules = modules  # logical name -> importable module name (None: missing)
        self.deadline = job_deadline or (time.monotonic() + limits.job_timeout)
        self.worker: Worker | None = None
        self.generation = 0
        self.restarts = 0
        self.request_ids = itertools.count(1)
        self.poison: list[tuple[str, str]] = []
        self.poison_modules: list[str] = []
        self.poisoned_labels: set[str] = set()
        self.crashed_imports: dict[str, StudentCrashed] = {}
        self.callbacks: dict[int, Callable] = {}
        self.output: list[str] = []
        self.output_kept = 0
        self.last_output = ""
        self.hello: dict = {}
        self.events: list[dict] = []

    # ------------------------------------------------------------------ lifecycle
    def _ensure_worker(self) -> Worker:
        if self.worker is not None:
            return self.worker
        if self.generation > 0:
            if self.restarts >= self.limits.max_restarts:
                raise StudentCrashed(i18n.message("student.too_many_crashes"))
            self.restarts += 1
        try:
            self.worker = self.start_worker(list(self.poison), list(self.poison_modules))
        except WorkerStartError as error:
            raise GraderFault(str(error)) from None
        self.generation += 1
        self.hello = self.worker.hello
        return self.worker

    def _discard_worker(self) -> None:
        if self.worker is not None:
            stray = self.worker.stray_output()
            if stray.strip():
                self._keep_output(f"[output outside print()]\n{stray}")
            self.worker.close()
            self.worker = None

    def close(self) -> None:
        self._discard_worker()

    def prestart(self) -> None:
        """Start the worker now (it would otherwise start on first use)."""
        self._ensure_worker()

    # ------------------------------------------------------------------ output
    def _keep_output(self, text: str) -> None:
        """Keep the student's output up to the job's limit, saying what was dropped."""
        if not text:
            return
        room = self.limits.output_kb * 1024 - self.output_kept
        if room <= 0:
            return
        if len(text) > room:
            text = text[:room] + f"\n[... {len(text) - room} more characters not kept]\n"
        self.output.append(text)
        self.output_kept += min(len(text), room)

    def take_output(self) -> str:
        text = "".join(self.output)
        self.output.clear()
        return text

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
        """Send one request and wait for its reply, serving callbacks meanwhile."""
        if label in self.poisoned_labels:
            raise StudentTimeout(i18n.message("student.timeout_earlier", label=label))
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise StudentTimeout(i18n.message("student.job_timeout",
                                              seconds=self.limits.job_timeout))
        worker = self._ensure_worker()
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
                out = message.get("out")
                out = out if isinstance(out, str) else ""
                self.last_output = out
                self._keep_output(out)
                if "error" in message:
                    error = message["error"] if isinstance(message["error"], dict) else {}
                    raise error_from_report(error, self.limits, label)
                return message.get("value")
        except TimeoutError:
            raise self._on_timeout(label, samples, timeout, op == "import",
                                   fields.get("module", "")) from None
        except (EOFError, ConnectionError, ProtocolError, OSError) as error:
            importing = fields.get("module", "") if op == "import" else None
            crash = self._on_crash(error, importing)
            if importing is not None:
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

    def _on_timeout(self, label: str, samples: list[list[dict]], seconds: float,
                    importing: bool, module: str) -> StudentTimeout:
        stuck = _deepest_common_frame(samples)
        if stuck is not None:
            module_name = os.path.splitext(stuck["file"])[0].replace(os.sep, ".")
            if stuck["function"] == "<module>":
                self.poison_modules.append(module_name)
            else:
                self.poison.append((module_name, stuck["function"]))
        elif importing:
            self.poison_modules.append(module)
        self.poisoned_labels.add(label)
        self.events.append({"event": "timeout", "label": label, "where": stuck})
        self._discard_worker()
        where = (i18n.message("student.timeout_where", file=stuck["file"], line=stuck["line"],
                              function=stuck["function"]) if stuck else i18n.same(""))
        return StudentTimeout(i18n.message("student.timeout", seconds=round(seconds, 1),
                                           where=where))

    def _on_crash(self, error: BaseException, importing: str | None = None) -> StudentCrashed:
        worker = self.worker
        assert worker is not None
        code = worker.wait_exit(timeout=2.0)
        received_garbage = isinstance(error, ProtocolError)
        signal_number = worker.exit_signal()
        self.events.append({"event": "crash", "code": code, "signal": signal_number,
                            "detail": str(error)[:200]})
        self._discard_worker()
        if received_garbage:
            return StudentCrashed(i18n.message("student.protocol", detail=str(error)[:200]))
        if signal_number == signal.SIGXCPU:
            return StudentCrashed(i18n.message("student.cpu_limit",
                                               seconds=self.limits.cpu_seconds))
        if signal_number is not None:
            name = signal.Signals(signal_number).name if signal_number in \
                signal.Signals._value2member_map_ else str(signal_number)
            how = i18n.message("student.crashed_signal", signal=name)
        elif code is not None:
            how = i18n.message("student.crashed_exit", code=code)
        else:
            how = i18n.same("")
        if importing:
            return StudentCrashed(i18n.message("student.import_crashed", module=importing,
                                               how=how))
        return StudentCrashed(i18n.message("student.crashed", how=how))

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
        value = self.request("import", label=module, module=module)
        if not isinstance(value, RemoteObject):
            raise StudentCrashed(i18n.message("student.protocol", detail="import"))
        object.__setattr__(value, "_label", module)
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


def _deepest_common_frame(samples: list[list[dict]]) -> dict | None:
    """The innermost student frame that stayed the same activation across the samples.

    That is where the code is stuck: a loop in ``fit`` that calls ``gradients`` each
    round shows ``gradients`` in some samples, but only ``fit`` persists.
    """
    if len(samples) < 2 or not samples[-1]:
        return None
    stuck = None
    for frame in samples[-1]:
        if not isinstance(frame, dict) or frame.get("same") is not True:
            break
        stuck = frame
    if stuck is None:
        return None
    try:
        return {"file": str(stuck["file"])[:200], "line": int(stuck["line"]),
                "function": str(stuck["function"])[:200]}
    except (KeyError, TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------- proxies


def _plain_size(value: Any, depth: int = 0) -> int:
    """Roughly how many bytes a decoded value holds (arrays and strings count)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (str, bytes)):
        return len(value)
    if depth < 4 and isinstance(value, (list, tuple)):
        return 8 + sum(_plain_size(item, depth + 1) for item in value)
    if depth < 4 and isinstance(value, dict):
        return 8 + sum(_plain_size(item, depth + 1) for item in value.values())
    return 8


class RemoteObject:
    """A student object living in the worker."""

    __slots__ = ("_session", "_generation", "_handle", "_type", "_kind", "_methods", "_label")

    def __init__(self, session: StudentSession, generation: int, handle: int, type_name: str,
                 kind: str, methods: frozenset[str], label: str) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_generation", generation)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_methods", methods)
        object.__setattr__(self, "_label", label)

    def _request(self, op: str, label: str, **fields: Any) -> Any:
        if self._generation != self._session.generation or self._session.worker is None:
            if label in self._session.poisoned_labels:
                raise StudentTimeout(i18n.message("student.timeout_earlier", label=label))
            raise StudentCrashed(i18n.message("student.lost_object"))
        value = self._session.request(op, label=label, target=self, **fields)
        if isinstance(value, RemoteObject) and self._kind == "module":
            object.__setattr__(value, "_label", f"{self._label}.{fields.get('name', '')}")
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._methods:
            return RemoteMethod(self, name)
        return self._request("getattr", label=f"{self._label}.{name}", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._request("setattr", label=f"{self._label}.{name} =", name=name, value=value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        value = self._request("call", label=self._label, args=list(args), kwargs=kwargs)
        return value

    def __getitem__(self, key: Any) -> Any:
        return self._request("getitem", label=f"{self._label}[]", key=key)

    def __len__(self) -> int:
        value = self._request("len", label=f"len({self._label})")
        if type(value) is not int:
            raise StudentCrashed(i18n.message("student.protocol", detail="len"))
        return value

    #: Reading a student's iterable stops here: a generator that never ends (or an object
    #: whose ``__len__`` says 40 and whose ``__iter__`` never stops, which numpy reads
    #: through) must not fill the judge's memory until the job's time is up.
    MAX_ITEMS: ClassVar[int] = 1_000_000
    MAX_BYTES: ClassVar[int] = 256 * 1024 * 1024

    def __iter__(self) -> Iterator[Any]:
        iterator = self._request("iter", label=f"iter({self._label})")
        if not isinstance(iterator, RemoteObject):
            raise StudentCrashed(i18n.message("student.protocol", detail="iter"))
        items = size = 0
        while True:
            step = iterator._request("next", label=f"next({self._label})")
            if not isinstance(step, dict) or step.get("done"):
                return
            value = step.get("value")
            items += 1
            size += _plain_size(value)
            if items > self.MAX_ITEMS or size > self.MAX_BYTES:
                raise StudentException(i18n.message(
                    "student.iteration_limit", what=self._label, items=self.MAX_ITEMS,
                    megabytes=self.MAX_BYTES // 2**20), "", "IterationLimit")
            yield value

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<student {self._kind} {self._type}>"

    def assign(self, path: list[str | int], value: Any) -> str:
        """Write ``value`` at ``self.<path>`` in place (see the worker's ``assign``)."""
        return self._request("assign", label=f"{self._label} (assign)", path=path,
                             value=value)


class RemoteMethod:
    """``obj.method`` before it is called: the call is one round trip."""

    __slots__ = ("_owner", "_name")

    def __init__(self, owner: RemoteObject, name: str) -> None:
        self._owner = owner
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        owner = self._owner
        return owner._request("call_method", label=f"{owner._type}.{self._name}",
                              name=self._name, args=list(args), kwargs=kwargs)

    def __repr__(self) -> str:
        return f"<student method {self._owner._type}.{self._name}>"
