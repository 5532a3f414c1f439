"""How an exception in the student's code is described to the judge.

Only frames of the student's own files are kept (innermost last), with their source
line; the description is plain data for the codec. The judge trusts none of it.
"""

from __future__ import annotations

import linecache
import os
import types
from typing import Any

from grader.worker.guards import ForbiddenOperation, PoisonedFunction

MAX_MESSAGE_CHARS = 4000
MAX_TRACEBACK_FRAMES = 12


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
    if isinstance(error, ForbiddenOperation):
        info["guard"] = {"id": error.guard, "what": error.what}
    if isinstance(error, SyntaxError):
        info["syntax"] = {"file": os.path.basename(error.filename or ""),
                          "line": error.lineno or 0, "offset": error.offset or 0,
                          "text": (error.text or "").rstrip()[:200],
                          "msg": _safe_str(error.msg)}
    return info
