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
import json
import os
import socket
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from typing import Any

from grader.worker import confine, studentops, watchdog
from grader.worker.capture import CappedText, PathScrubber
from grader.worker.codec import FORMAT_VERSION, Channel, Unencodable
from grader.worker.guards import PoisonedFunction, apply_poison, forbidden, install_guards
from grader.worker.studentops import argument_snapshot, changed_arguments
from grader.worker.tracebacks import describe_exception


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
        self.changed: list | None = None
        self.scrub = PathScrubber(self.root, [sys.prefix, sys.base_prefix,
                                              os.path.dirname(os.__file__)])

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
            self.send(request)
            reply = self.channel.receive(self.resolve)
            if "error" in reply:
                raise RuntimeError(f"the test's function raised: {reply['error']}")
            return reply["value"]
        return call_judge

    # ------------------------------------------------------------------ messaging
    def send(self, message: dict) -> None:
        with self.send_lock:
            self.channel.send(message, self.export)

    def reply(self, request_id: int, **fields: Any) -> None:
        fields["id"] = request_id
        fields["out"] = self.scrub(self.output.take())
        error = fields.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            error["message"] = self.scrub(error["message"])
        try:
            self.send(fields)
        except Unencodable as error:
            self.send({"id": request_id, "out": fields["out"],
                        "error": {"kind": "encode", "type": "Unencodable",
                                  "message": str(error), "frames": []}})

    # ------------------------------------------------------------------ operations
    def op_import(self, name: str) -> Any:
        if name in self.config.get("poison_modules", []):
            raise PoisonedFunction(f"importing {name} timed out in an earlier test; not retried")
        module = importlib.import_module(name)
        # Poison every student module loaded so far, including those imported indirectly.
        for loaded in {module_name for module_name, _ in self.poison}:
            if loaded in sys.modules and loaded not in self.poisoned_modules:
                self.poisoned_modules.add(loaded)
                apply_poison(sys.modules[loaded], self.poison)
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

    def call(self, function: Any, request: dict) -> Any:
        """Call the student's function; with ``watch_args``, note which array arguments
        it changed in place (the judge sent copies, so only this side can see it)."""
        args, kwargs = request.get("args", []), request.get("kwargs", {})
        if not request.get("watch_args"):
            return function(*args, **kwargs)
        before = argument_snapshot(args, kwargs)
        value = function(*args, **kwargs)
        self.changed = changed_arguments(before, args, kwargs)
        return value

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
            return self.call(target, request)
        if op == "call_method":
            return self.call(getattr(target, request["name"]), request)
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
        if op == "swap":
            return studentops.swap_attributes(target, request["values"])
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
        threading.Thread(target=watchdog.watch, args=(self,), daemon=True,
                         name="grader-watchdog").start()
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
            self.changed = None
            try:
                value = self.handle(request)
            except BaseException as error:  # noqa: BLE001 - everything is reported
                info = describe_exception(error, self.root)
                self._clear_call()
                self.reply(request_id, error=info)
                continue
            self._clear_call()
            if self.changed is not None:
                self.reply(request_id, value=value, changed=self.changed)
            else:
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
    builtins.input = forbidden("input", "input()")
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
