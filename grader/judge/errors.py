"""What can go wrong on the student's side of a call, as exceptions the judge understands.

Everything the worker reports (an exception in the student's code, ``sys.exit``, a
timeout, a crash, running out of memory, a forbidden operation) becomes a
:class:`StudentError` subclass carrying a bilingual message and a status. The pytest
plugin turns the status into the test's outcome. :func:`error_from_report` reads the
worker's description of an exception; it trusts nothing in it (the worker runs the
student's code and may send anything).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from grader import i18n
from grader.i18n import Bilingual
from grader.manifest import Limits
from grader.results import Status

# ----------------------------------------------------------------------------- errors


class StudentError(Exception):
    """Something went wrong in the student's code; ``status`` says what kind.

    ``withheld`` is the message to show when the test is hidden: the same without any
    text the student's code chose (an exception's message could carry the hidden
    inputs it was given). The full message stays in ``details`` for the instructor.
    """

    status: ClassVar[Status] = Status.FAILED

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
    status = Status.NOT_IMPLEMENTED


class StudentSyntaxError(StudentException):
    """A file of the student's does not parse: the tests that need it cannot run."""

    status = Status.SYNTAX_ERROR


class StudentTimeout(StudentError):
    status = Status.TIMEOUT


class StudentCrashed(StudentError):
    status = Status.CRASHED


class StudentMemory(StudentError):
    status = Status.MEMORY


class StudentForbidden(StudentError):
    status = Status.FORBIDDEN


class StudentMissing(StudentError):
    status = Status.MISSING


class StudentDiskLimit(StudentError):
    status = Status.DISK


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


#: The worker's guards (grader/worker/guards.py), named in messages/<lang>.toml [guard].
GUARDS = ("process", "socket", "signal", "input")


def error_from_report(info: dict, limits: Limits, label: str,
                      other_files: bool = True) -> StudentError:
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
        key = "student.syntax_error_others" if other_files else "student.syntax_error"
        message = i18n.message(key, file=str(syntax.get("file"))[:200],
                               line=syntax.get("line"), msg=str(syntax.get("msg"))[:500])
        offset = min(max(syntax["offset"] - 1, 0), 200)
        code = f"{syntax['text'][:200]}\n{' ' * offset}^" if syntax["text"] else ""
        return StudentSyntaxError(message, code, remote_type)
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
        guard = info.get("guard")
        if isinstance(guard, dict) and guard.get("id") in GUARDS and \
                isinstance(guard.get("what"), str):
            # One of the worker's own guards: say which, in the student's language.
            return StudentForbidden(i18n.message(
                "student.forbidden_guard", what=guard["what"][:60],
                why=i18n.message(f"guard.{guard['id']}")), details)
        return StudentForbidden(i18n.message("student.forbidden", message=text), details,
                                _withheld(remote_type, frames))
    if kind == "poisoned":
        return StudentTimeout(i18n.message("student.timeout_earlier", label=label), details)
    if kind == "recursion":
        return StudentException(i18n.message("student.recursion", where=where, message=text),
                                details, remote_type, _withheld(remote_type, frames, text))
    if kind == "encode":
        return StudentException(i18n.message("student.unencodable", what=label, detail=text),
                                details, remote_type)
    if frames:
        last = frames[-1]
        message = i18n.message("student.raised_at", file=last["file"], line=last["line"],
                               function=last["function"], type=remote_type, message=text)
    else:
        message = i18n.message("student.raised", type=remote_type, message=text)
    system = re.match(r"\[Errno \d+\] [^:'\"]{1,60}", text)
    if system:  # the operating system's words (no file name): safe to show
        withheld = i18n.join(_withheld(remote_type, frames),
                             i18n.same(f"({system.group(0).strip()})"))
    else:
        withheld = _withheld(remote_type, frames, text)
    if remote_type == "AttributeError":
        return StudentAttributeError(message, details, remote_type, withheld)
    return StudentException(message, details, remote_type, withheld)


_TOKENS = re.compile(
    r"(?P<shape>\((?:\s*\d+\s*,)*\s*\d*\s*\))"          # a shape: (2, 3), (3,), ()
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"                        # names keep digits: float64, W1
    r"|(?P<number>[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)")


def mask_values(text: str, limit: int = 300) -> str:
    """The message with the numbers a hidden test's inputs could show replaced by ``…``.

    Shapes, dtypes and names stay (``shapes (2,3,4,5) and (60,10) not aligned``), and so do
    small whole numbers (``axis 1``, ``index 3``); decimals and larger numbers go.
    """
    def replace(match: re.Match) -> str:
        number = match.group("number")
        if number is None:
            return match.group(0)
        digits = number.lstrip("+-")
        return number if digits.isdigit() and len(digits) <= 2 else "…"

    return _TOKENS.sub(replace, text[:limit])


def _withheld(remote_type: str, frames: list[dict], text: str = "") -> Bilingual:
    """Where, what kind of exception, and its message with the values masked: what a
    student may see of an exception in a hidden test (its inputs stay hidden)."""
    masked = mask_values(text) if text else ""
    if frames:
        last = frames[-1]
        return i18n.message("student.raised_at_masked" if masked else "student.raised_at_hidden",
                            file=last["file"], line=last["line"], function=last["function"],
                            type=remote_type, message=masked)
    return i18n.message("student.raised_masked" if masked else "student.raised_hidden",
                        type=remote_type, message=masked)


