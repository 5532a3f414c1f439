"""The student's printed output while a request runs: kept up to a limit, as text.

``sys.stdout`` and ``sys.stderr`` point at a :class:`CappedText` while student code
runs; each reply to the judge carries what it collected (and how much it dropped).
"""

from __future__ import annotations

import io
import os
from typing import Any


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


class PathScrubber:
    """Replaces the grading machine's paths in what the student's code prints or raises.

    A warning from numpy names its file (``/venv/lib/python3.11/site-packages/numpy/...``)
    and the student's own file by its path in the sandbox; the student may see their
    output, the machine's layout is none of their business. The student's folder becomes
    ``scripts/``, the scratch folder's other parts their own names, Python's folders
    ``<python>``.
    """

    def __init__(self, student_root: str, python_roots: list[str]) -> None:
        scratch = os.path.dirname(os.path.normpath(student_root))
        pairs = [(os.path.normpath(student_root) + os.sep, "scripts/"),
                 (scratch + os.sep, "")]
        pairs += [(os.path.normpath(root) + os.sep, "<python>/")
                  for root in python_roots if len(root) > 1]
        # Longest first: a root inside another is replaced before the outer one.
        self.pairs = sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def __call__(self, text: str) -> str:
        for path, shown in self.pairs:
            if path in text:
                text = text.replace(path, shown)
        return text
