"""Python-level guards inside the worker: clear errors for what is refused anyway.

seccomp refuses fork, exec, sockets and signals to other processes at the kernel
(``confine``); these guards make the same attempts fail with a readable Python error
first. Functions that hung in an earlier worker of the job are *poisoned*: their code is
swapped for a stub that fails at once, so an infinite loop costs its timeout once.
"""

from __future__ import annotations

import os
import socket
import types
from collections.abc import Callable, Iterable
from typing import Any


class ForbiddenOperation(PermissionError):
    """Raised by the guards around process, socket, signal and keyboard APIs.

    ``guard`` names which (``process``, ``socket``, ``signal``, ``input``) so that the
    judge can say it in the student's language; ``what`` is the call, as code.
    """

    def __init__(self, guard: str, what: str) -> None:
        super().__init__(f"{what} is not allowed while grading")
        self.guard = guard
        self.what = what


class PoisonedFunction(Exception):
    """A function that timed out in an earlier worker of this job."""

    def __init__(self, message: str = "timed out in an earlier test; not run again") -> None:
        super().__init__(message)


def forbidden(guard: str, what: str) -> Callable[..., Any]:
    """A replacement for an API that is refused while grading."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ForbiddenOperation(guard, what)
    return refuse


def install_guards() -> None:
    """Clear Python-level errors for what seccomp refuses anyway (fork, exec, sockets)."""
    for name in ("fork", "forkpty", "system", "popen", "posix_spawn", "posix_spawnp",
                 "execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "execlpe",
                 "spawnv", "spawnve", "spawnvp", "spawnvpe", "killpg"):
        if hasattr(os, name):
            setattr(os, name, forbidden("process", f"os.{name}()"))
    real_kill = os.kill

    def kill(pid: int, sig: int) -> None:
        if pid not in (0, os.getpid()):
            raise ForbiddenOperation("signal", "os.kill()")
        real_kill(pid, sig)

    os.kill = kill
    socket.socket.__init__ = forbidden("socket", "socket.socket()")  # type: ignore[method-assign]
    import subprocess
    subprocess.Popen.__init__ = forbidden("process", "subprocess.Popen()")  # type: ignore


def _poison_stub(*args: Any, **kwargs: Any) -> Any:
    """Code object for poisoned functions; finds the exception through builtins."""
    raise __grader_poisoned__()  # type: ignore[name-defined] # noqa: F821


def apply_poison(module: types.ModuleType, poison: Iterable[tuple[str, str]]) -> None:
    """Replace functions that hung in an earlier worker by stubs that raise at once.

    The code object is swapped in place, so references the student's other modules
    took with ``from x import f`` are stubbed too. Functions with closure cells
    (``super()`` adds one) cannot take a cell-less code object: those are replaced
    on their owner instead.
    """
    for module_name, qualname in poison:
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
