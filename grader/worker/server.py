"""The student worker: imports a student's files and serves the judge's requests.

Started by ``grader.sandbox`` as ``python -I -c 'from grader.worker.server import main;
main()' CONFIG_JSON``. It confines itself (``confine``), says hello on the channel, then
answers requests one at a time:

========== ==============================================================
import     import a student module by name, returns its handle
getattr    attribute of a handle (value when plain data, else a handle)
setattr    set an attribute
call       call a handle; ``call_method`` calls ``handle.name(...)`` in one trip
iter/next  drive an iterator or generator
getitem    index a handle
assign     write an array into an existing one in place (``obj.params['W1'][...] = v``)
run_script run a student file as ``__main__`` (the course runs scripts that way)
read_file  bytes of a file the student's code wrote under ``outputs/``
release    forget handles
========== ==============================================================

Student objects never leave this process: they are kept in ``self.objects`` and named
by integer handles. Every reply carries the text the student's code printed during
the request. Exceptions, ``sys.exit``, ``KeyboardInterrupt`` and ``MemoryError`` are
reported, never propagated; ``os._exit`` and signals end the process, and the judge
reports that from the exit status.

A watchdog thread samples the stack of a call that runs long and sends it ahead of the
judge's timeout, so a timeout can say *where* the code was stuck; functions found stuck
in an earlier worker of the same job are replaced by stubs ("poisoned") so an infinite
loop costs its timeout once.
"""

from __future__ import annotations

import builtins
import importlib
import io
import json
import linecache
import os
import socket
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from typing import Any

from grader.worker import confine, studentops
from grader.worker.codec import FORMAT_VERSION, Channel, Unencodable

MAX_MESSAGE_CHARS = 4000
MAX_TRACEBACK_FRAMES = 12


class ForbiddenOperation(PermissionError):
    """Raised by the guards around process, socket and signal APIs."""


class PoisonedFunction(Exception):
    """A function that timed out in an earlier worker of this job."""

    def __init__(self, message: str = "timed out in an earlier test; not run again") -> None:
        super().__init__(message)


class CappedText(io.TextIOBase):
    """A text sink for ``sys.stdout``/``sys.stderr`` that keeps at most ``limit`` chars.

    ``buffer`` takes bytes (``sys.stdout.buffer.write``), decoded as UTF-8 with bad bytes
    replaced, so a student's binary output is kept as readable text, never as bytes.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0
        self.buffer = CappedBytes(self)

    def writable(self) -> bool:
        return True

    def write(self, text: Any) -> int:
        text = str(text)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters not kept]\n"
        self.parts, self.kept, self.dropped = [], 0, 0
        return text

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


class CappedBytes(io.RawIOBase):
    """``sys.stdout.buffer``: bytes decoded into the text sink (only what it keeps)."""

    def __init__(self, text: CappedText) -> None:
        self.text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        room = max(self.text.limit - self.text.kept, 0)
        head = bytes(view[:4 * room])  # a character is at most 4 bytes of UTF-8
        self.text.write(head.decode("utf-8", errors="replace"))
        self.text.dropped += len(view) - len(head)
        return len(view)


def _forbidden(what: str) -> Callable[..., Any]:
    """A replacement for an API that is refused while grading."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ForbiddenOperation(f"{what} is not allowed while grading")
    return refuse


def install_guards() -> None:
    """Clear Python-level errors for what seccomp refuses anyway (fork, exec, sockets)."""
    for name in ("fork", "forkpty", "system", "popen", "posix_spawn", "posix_spawnp",
                 "execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "execlpe",
                 "spawnv", "spawnve", "spawnvp", "spawnvpe", "killpg"):
        if hasattr(os, name):
            setattr(os, name, _forbidden(f"os.{name}() (starting processes)"))
    real_kill = os.kill

    def kill(pid: int, sig: int) -> None:
        if pid not in (0, os.getpid()):
            raise ForbiddenOperation("signalling other processes is not allowed while grading")
        real_kill(pid, sig)

    os.kill = kill
    socket.socket.__init__ = _forbidden("opening a socket")  # type: ignore[method-assign]
    import subprocess
    subprocess.Popen.__init__ = _forbidden("subprocess (starting processes)")  # type: ignore


# ----------------------------------------------------------------------------- helpers


def _describe_frames(tb: types.TracebackType | None, student_root: str) -> list[dict]:
    """The frames of a traceback that belong to student files (innermost last)."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.startswith(student_root):
            line = linecache.getline(code.co_filename, tb.tb_lineno).strip()
            frames.append({"file": os.path.relpath(code.co_filename, student_root),
                           "line": tb.tb_lineno, "function": code.co_qualname,
                           "code": line[:200]})
        tb = tb.tb_next
    return frames[-MAX_TRACEBACK_FRAMES:]


def _safe_str(value: Any) -> str:
    try:
        text = str(value)
    except BaseException:  # noqa: BLE001 - a student's __str__ may do anything
        text = "<unprintable>"
    return text[:MAX_MESSAGE_CHARS]


def describe_exception(error: BaseException, student_root: str) -> dict:
    kind = "exception"
    if isinstance(error, SystemExit):
        kind = "system_exit"
    elif isinstance(error, KeyboardInterrupt):
        kind = "keyboard_interrupt"
    elif isinstance(error, MemoryError):
        kind = "memory"
    elif isinstance(error, NotImplementedError):
        kind = "not_implemented"
    elif isinstance(error, ForbiddenOperation):
        kind = "forbidden"
    elif isinstance(error, PoisonedFunction):
        kind = "poisoned"
    elif isinstance(error, RecursionError):
        kind = "recursion"
    info: dict[str, Any] = {
        "kind": kind,
        "type": type(error).__name__,
        "message": _safe_str(error),
        "frames": _describe_frames(error.__traceback__, student_root),
    }
    if isinstance(error, SystemExit):
        info["message"] = _safe_str(error.code)
    if isinstance(error, SyntaxError):
        info["syntax"] = {"file": os.path.basename(error.filename or ""),
                          "line": error.lineno or 0, "offset": error.offset or 0,
                          "text": (error.text or "").rstrip()[:200],
                          "msg": _safe_str(error.msg)}
    return info


def _poison_stub(*args: Any, **kwargs: Any) -> Any:
    """Code object for poisoned functions; finds the exception through builtins."""
    raise __grader_poisoned__()  # type: ignore[name-defined] # noqa: F821


def _method_names(obj: Any) -> list[str]:
    """Names of plain functions defined on the object's class (callable as methods)."""
    names: set[str] = set()
    for klass in type(obj).__mro__:
        if klass is object:
            continue
        for name, value in vars(klass).items():
            if isinstance(value, types.FunctionType) and not name.startswith("__"):
                names.add(name)
    return sorted(names)


# ----------------------------------------------------------------------------- server


class JudgeObject:
    """An object of the test's (say the reference Perceptron) handed to student code.

    Its methods run on the judge's side; student code sees only what they return.
    """

    __slots__ = ("_methods", "_calls")

    def __init__(self, server: Server, object_id: int, methods: list) -> None:
        self._methods = frozenset(m for m in methods if isinstance(m, str))
        self._calls = {name: server._callback(object_id, name) for name in self._methods}

    def __getattr__(self, name: str) -> Any:
        calls = object.__getattribute__(self, "_calls")
        if name in calls:
            return calls[name]
        raise AttributeError(f"the test's object only offers {sorted(calls)}")

    def __repr__(self) -> str:
        return f"<object from the test with methods {sorted(self._methods)}>"


class Server:
    def __init__(self, channel: Channel, config: dict) -> None:
        self.channel = channel
        self.config = config
        self.root = config["student_root"]
        self.objects: dict[int, Any] = {}
        self.next_handle = 1
        self.output = CappedText(config.get("output_chars", 64 * 1024))
        self.poison: set[tuple[str, str]] = {tuple(p) for p in config.get("poison", [])}
        self.poisoned_modules: set[str] = set()
        self.send_lock = threading.Lock()
        self.current_call: int | None = None
        self.call_started = 0.0
        self.watch = threading.Condition()
        self.sampled: list[list[dict]] = []

    # ------------------------------------------------------------------ handles
    def export(self, value: Any) -> dict:
        handle = self.next_handle
        self.next_handle += 1
        self.objects[handle] = value
        if isinstance(value, types.ModuleType):
            kind = "module"
        elif isinstance(value, type):
            kind = "class"
        elif callable(value):
            kind = "callable"
        elif hasattr(value, "__next__"):
            kind = "iterator"
        else:
            kind = "object"
        try:
            type_name = type(value).__qualname__ if kind != "class" else value.__qualname__
        except BaseException:  # noqa: BLE001
            type_name = "?"
        descriptor: dict[str, Any] = {"$h": handle, "type": str(type_name)[:200], "kind": kind}
        if kind in ("object", "iterator"):
            descriptor["methods"] = _method_names(value)
        return descriptor

    def resolve(self, tag: str, value: dict) -> Any:
        if tag == "$h":
            handle = value["$h"]
            if handle not in self.objects:
                raise KeyError(f"unknown handle {handle}")
            return self.objects[handle]
        if tag == "$g":
            import numpy as np
            state = value["$g"]
            generator = np.random.Generator(getattr(np.random, state["bit_generator"])())
            generator.bit_generator.state = state
            return generator
        if tag == "$c":
            return self._callback(value["$c"])
        if tag == "$o":
            return JudgeObject(self, value["$o"], value.get("methods", []))
        if tag == "$w":
            return studentops.WORKER_FUNCTIONS[value["$w"]]
        raise KeyError(tag)

    def _callback(self, callback_id: int, method: str | None = None) -> Callable[..., Any]:
        """A function the student can call that runs on the judge's side."""
        def call_judge(*args: Any, **kwargs: Any) -> Any:
            request = {"callback": callback_id, "args": list(args), "kwargs": kwargs}
            if method is not None:
                request["method"] = method
            self._send(request)
            reply = self.channel.receive(self.resolve)
            if "error" in reply:
                raise RuntimeError(f"the test's function raised: {reply['error']}")
            return reply["value"]
        return call_judge

    # ------------------------------------------------------------------ messaging
    def _send(self, message: dict) -> None:
        with self.send_lock:
            self.channel.send(message, self.export)

    def reply(self, request_id: int, **fields: Any) -> None:
        fields["id"] = request_id
        fields["out"] = self.output.take()
        try:
            self._send(fields)
        except Unencodable as error:
            self._send({"id": request_id, "out": fields["out"],
                        "error": {"kind": "encode", "type": "Unencodable",
                                  "message": str(error), "frames": []}})

    # ------------------------------------------------------------------ watchdog
    def watchdog(self) -> None:
        """Send stack samples of a long call so the judge knows where it hangs.

        Each frame is marked ``same`` when it is the very activation seen in the previous
        sample. Identity is checked on frame objects the watchdog holds on to: comparing
        ``id()`` would be wrong, CPython reuses a freed frame's address at once.
        """
        sample_at = self.config.get("sample_after", [])
        main_id = threading.main_thread().ident
        while True:
            with self.watch:
                while self.current_call is None:
                    self.watch.wait()
                call, started = self.current_call, self.call_started
            held: list[types.FrameType] = []
            for delay in sample_at:
                wait = started + delay - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if self.current_call != call:
                    break
                frame = sys._current_frames().get(main_id) if main_id is not None else None
                frames = []
                while frame is not None:
                    if frame.f_code.co_filename.startswith(self.root):
                        frames.append(frame)
                    frame = frame.f_back
                frames.reverse()
                stack = [{"file": os.path.relpath(f.f_code.co_filename, self.root),
                          "line": f.f_code.co_firstlineno, "function": f.f_code.co_qualname,
                          "same": any(f is old for old in held)} for f in frames]
                held = frames
                try:
                    self._send({"stack": stack, "call": call})
                except OSError:
                    return
            del held
            with self.watch:
                while self.current_call == call:
                    self.watch.wait()

    # ------------------------------------------------------------------ poisoning
    def apply_poison(self, module: types.ModuleType) -> None:
        """Replace functions that hung in an earlier worker by stubs that raise at once.

        The code object is swapped in place, so references the student's other modules
        took with ``from x import f`` are stubbed too. Functions with closure cells
        (``super()`` adds one) cannot take a cell-less code object: those are replaced
        on their owner instead.
        """
        for module_name, qualname in self.poison:
            if module_name != module.__name__:
                continue
            owner: Any = module
            *parents, name = qualname.split(".")
            for part in parents:
                owner = getattr(owner, part, None)
            target = getattr(owner, name, None) if owner is not None else None
            if not isinstance(target, types.FunctionType):
                continue
            stub_code = _poison_stub.__code__.replace(co_name=name, co_qualname=qualname)
            if not target.__code__.co_freevars:
                target.__code__ = stub_code
            else:
                setattr(owner, name, types.FunctionType(stub_code, {}, name))

    # ------------------------------------------------------------------ operations
    def op_import(self, name: str) -> Any:
        if name in self.config.get("poison_modules", []):
            raise PoisonedFunction(f"importing {name} timed out in an earlier test; not retried")
        module = importlib.import_module(name)
        # Poison every student module loaded so far, including those imported indirectly.
        for loaded in {module_name for module_name, _ in self.poison}:
            if loaded in sys.modules and loaded not in self.poisoned_modules:
                self.poisoned_modules.add(loaded)
                self.apply_poison(sys.modules[loaded])
        return module

    def op_run_script(self, name: str) -> Any:
        """Import the module, then run its ``__main__`` blocks in the imported module.

        Running them in the imported module (not a fresh ``__main__``) keeps poisoned
        functions poisoned.
        """
        return studentops.run_main_blocks(self.op_import(name))

    def op_read_file(self, path: str, limit: int) -> Any:
        base = os.path.realpath(os.path.join(self.root, "..", "outputs"))
        full = os.path.realpath(os.path.join(base, path))
        if not full.startswith(base + os.sep) or not os.path.isfile(full):
            return None
        with open(full, "rb") as handle:
            return handle.read(limit + 1)

    def handle(self, request: dict) -> Any:
        op = request["op"]
        target: Any = request.get("target")
        if op == "import":
            return self.op_import(request["module"])
        if op == "getattr":
            return getattr(target, request["name"])
        if op == "setattr":
            setattr(target, request["name"], request["value"])
            return None
        if op == "call":
            return target(*request.get("args", []), **request.get("kwargs", {}))
        if op == "call_method":
            return getattr(target, request["name"])(*request.get("args", []),
                                                    **request.get("kwargs", {}))
        if op == "getitem":
            return target[request["key"]]
        if op == "iter":
            return iter(target)
        if op == "next":
            try:
                return {"value": next(target), "done": False}
            except StopIteration:
                return {"value": None, "done": True}
        if op == "len":
            return len(target)
        if op == "assign":
            return studentops.assign(target, request["path"], request["value"])
        if op == "run_script":
            return self.op_run_script(request["module"])
        if op == "read_file":
            return self.op_read_file(request["path"], int(request.get("limit", 2_000_000)))
        if op == "release":
            for handle in request.get("handles", []):
                self.objects.pop(handle, None)
            return None
        if op == "ping":
            return "pong"
        raise ValueError(f"unknown operation {op!r}")

    def serve(self) -> None:
        threading.Thread(target=self.watchdog, daemon=True, name="grader-watchdog").start()
        while True:
            try:
                request = self.channel.receive(self.resolve)
            except EOFError:
                return
            except KeyError as error:  # an argument names a handle we do not have
                self.reply(-1, error={"kind": "protocol", "type": "KeyError",
                                      "message": str(error), "frames": []})
                continue
            request_id = request.get("id", -1)
            sys.stdout = sys.stderr = self.output
            with self.watch:
                self.current_call, self.call_started = request_id, time.monotonic()
                self.watch.notify_all()
            try:
                value = self.handle(request)
            except BaseException as error:  # noqa: BLE001 - everything is reported
                info = describe_exception(error, self.root)
                self._clear_call()
                self.reply(request_id, error=info)
                continue
            self._clear_call()
            self.reply(request_id, value=value)

    def _clear_call(self) -> None:
        with self.watch:
            self.current_call = None
            self.watch.notify_all()


def run_worker(config: dict) -> None:
    """Confine this process, then serve the judge on ``config["fd"]`` until it hangs up.

    Called in a fresh process (``main``) or in a child the zygote just forked. Nothing of
    the student's runs before confinement is complete.
    """
    limits = config["limits"]
    confine.not_dumpable()
    confine.apply_rlimits(memory_mb=limits["memory_mb"], cpu_seconds=limits["cpu_seconds"],
                          file_size_mb=limits["file_size_mb"], processes=limits["processes"])
    landlock = 0
    if config.get("landlock", True):
        landlock = confine.apply_landlock(config.get("read_only", []),
                                          config.get("read_write", []))
    seccomp = confine.apply_seccomp() if config.get("seccomp", True) else False
    channel = Channel(socket.socket(fileno=config["fd"]))
    install_guards()
    builtins.__grader_poisoned__ = PoisonedFunction  # type: ignore[attr-defined]
    os.chdir(config["cwd"])
    sys.path[:0] = [config["student_root"]]
    sys.argv = [os.path.join(config["student_root"], "__main__.py")]
    builtins.input = _forbidden("input() (there is no keyboard while grading)")
    server = Server(channel, config)
    channel.send({"hello": {"version": FORMAT_VERSION, "pid": os.getpid(),
                            "landlock": landlock, "seccomp": seccomp,
                            "namespaces": config.get("namespaces", []),
                            "python": sys.version.split()[0]}})
    try:
        server.serve()
    except BaseException:  # noqa: BLE001 - a worker fault: say what it was on fd 2
        os.write(2, traceback.format_exc().encode("utf-8", "replace")[-8000:])
        os._exit(70)
    os._exit(0)


def main() -> None:
    run_worker(json.loads(sys.argv[1]))


if __name__ == "__main__":
    main()
