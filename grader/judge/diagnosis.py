"""Why a call into the student's code did not come back: timeouts and crashes.

A timeout is diagnosed from the stack samples the worker's watchdog sent while the call
ran: the innermost frame that stayed the same activation is where the code is stuck.
That function (or module, when it hangs at import) is *poisoned*: later workers of the
same job replace it by a stub that fails at once, so an infinite loop costs its timeout
once. A crash is described from the worker's exit status.
"""

from __future__ import annotations

import os
import signal

from grader import i18n
from grader.judge.errors import (StudentCrashed, StudentDiskLimit, StudentError,
                                 StudentTimeout)
from grader.manifest import Limits
from grader.sandbox import Worker
from grader.worker.codec import ProtocolError


def deepest_common_frame(samples: list[list[dict]]) -> dict | None:
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


class Poison:
    """What timed out in this job, so that later workers do not run it again."""

    def __init__(self) -> None:
        self.functions: list[tuple[str, str]] = []
        """(module, function) pairs the worker replaces by a failing stub."""
        self.modules: list[str] = []
        """Modules whose import hung: importing them fails at once."""
        self.labels: set[str] = set()
        """Labels of the calls that timed out (``gradient_method.fit``)."""

    def timed_out(self, label: str, samples: list[list[dict]], importing: bool,
                  module: str) -> dict | None:
        """Record a timeout of ``label``; returns where the code was stuck, if known."""
        stuck = deepest_common_frame(samples)
        if stuck is not None:
            module_name = os.path.splitext(stuck["file"])[0].replace(os.sep, ".")
            if stuck["function"] == "<module>":
                self.modules.append(module_name)
            else:
                self.functions.append((module_name, stuck["function"]))
        elif importing:
            self.modules.append(module)
        self.labels.add(label)
        return stuck


def timeout_error(seconds: float, stuck: dict | None) -> StudentTimeout:
    where = (i18n.message("student.timeout_where", file=stuck["file"], line=stuck["line"],
                          function=stuck["function"]) if stuck else i18n.same(""))
    return StudentTimeout(i18n.message("student.timeout", seconds=round(seconds, 1),
                                       where=where))


def crash_error(worker: Worker, error: BaseException, limits: Limits,
                importing: str | None, other_files: bool = True) -> StudentError:
    """What to tell the student about a worker that ended in the middle of a call."""
    code = worker.wait_exit(timeout=2.0)
    signal_number = worker.exit_signal()
    if worker.disk_exceeded:
        return StudentDiskLimit(i18n.message("student.disk_limit", limit=limits.scratch_mb,
                                             files=limits.scratch_files))
    if isinstance(error, ProtocolError):
        return StudentCrashed(i18n.message("student.protocol", detail=str(error)[:200]))
    if signal_number == signal.SIGXCPU:
        return StudentCrashed(i18n.message("student.cpu_limit", seconds=limits.cpu_seconds))
    if signal_number is not None:
        name = signal.Signals(signal_number).name if signal_number in \
            signal.Signals._value2member_map_ else str(signal_number)
        how = i18n.message("student.crashed_signal", signal=name)
    elif code is not None:
        how = i18n.message("student.crashed_exit", code=code)
    else:
        how = i18n.same("")
    if importing:
        key = "student.import_crashed_others" if other_files else "student.import_crashed"
        return StudentCrashed(i18n.message(key, module=importing, how=how))
    return StudentCrashed(i18n.message("student.crashed", how=how))
