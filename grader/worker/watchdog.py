"""The watchdog: stack samples of a long call, sent ahead of the judge's timeout.

When a call runs long, the judge receives where the student's code is (its own frames
only) at ``sample_after`` seconds; from these it decides where an infinite loop is and
poisons that function for the rest of the job.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import types
from typing import Protocol


class Watched(Protocol):
    """What the watchdog reads of the server (``grader.worker.server.Server``)."""

    config: dict
    root: str
    watch: threading.Condition
    current_call: int | None
    call_started: float

    def send(self, message: dict) -> None: ...


def watch(server: Watched) -> None:
    """Send stack samples of a long call so the judge knows where it hangs.

    Each frame is marked ``same`` when it is the very activation seen in the previous
    sample. Identity is checked on frame objects the watchdog holds on to: comparing
    ``id()`` would be wrong, CPython reuses a freed frame's address at once.
    """
    sample_at = server.config.get("sample_after", [])
    main_id = threading.main_thread().ident
    while True:
        with server.watch:
            while server.current_call is None:
                server.watch.wait()
            call, started = server.current_call, server.call_started
        held: list[types.FrameType] = []
        for delay in sample_at:
            wait = started + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if server.current_call != call:
                break
            frame = sys._current_frames().get(main_id) if main_id is not None else None
            frames = []
            while frame is not None:
                if frame.f_code.co_filename.startswith(server.root):
                    frames.append(frame)
                frame = frame.f_back
            frames.reverse()
            stack = [{"file": os.path.relpath(f.f_code.co_filename, server.root),
                      "line": f.f_code.co_firstlineno, "function": f.f_code.co_qualname,
                      "same": any(f is old for old in held)} for f in frames]
            held = frames
            try:
                server.send({"stack": stack, "call": call})
            except OSError:
                return
        del held
        with server.watch:
            while server.current_call == call:
                server.watch.wait()
