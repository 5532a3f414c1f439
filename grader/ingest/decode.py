"""Bytes to text, the way students' editors wrote them.

UTF-8 with or without a BOM (Windows Notepad adds one), UTF-16 with a BOM, CRLF line
ends, and the Japanese legacy encodings: Shift-JIS/cp932 from Japanese Windows (with or
without a ``# -*- coding: ... -*-`` line), EUC-JP and ISO-2022-JP. Everything becomes
UTF-8 text with ``\\n`` line ends, so the worker imports every file the same way.

Order of trust: UTF-8 (or a BOM), then the file's own coding declaration, then
charset-normalizer restricted to the Japanese encodings (a short Japanese file is too
little text for an unrestricted guess, which picks Chinese encodings), then an open
guess that must look like text. A file none of these can read is reported, never
guessed into mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: PEP 263: a coding declaration in a comment on line 1 or 2.
CODING_LINE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
CODING_TEXT = re.compile(r"^([ \t\f]*#.*?coding[:=][ \t]*)([-\w.]+)")
JAPANESE = ["cp932", "euc_jp", "iso2022_jp"]
MAX_CHAOS = 0.1


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    """``utf-8`` (also with a BOM) or the legacy encoding the file was read as."""

    @property
    def converted(self) -> bool:
        """True when the file was not UTF-8 (the report says so)."""
        return self.encoding not in ("utf-8", "utf_8", "ascii")


def _declared(data: bytes) -> str | None:
    for line in data.splitlines()[:2]:
        match = CODING_LINE.match(line)
        if match:
            try:
                return codecs.lookup(match.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                return None
    return None


def _guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    for candidates in (JAPANESE, None):
        best = from_bytes(data, cp_isolation=candidates).best()
        if best is not None and best.chaos <= MAX_CHAOS:
            return str(best), codecs.lookup(best.encoding).name
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_text(data: bytes) -> Decoded | None:
    """The text of a source file, or None when it is binary or in no known encoding."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16"), "utf-16"
    elif b"\0" in data:
        return None
    else:
        text, encoding = _strict(data, "utf-8"), "utf-8"
        declared = _declared(data) if text is None else None
        if declared:
            text, encoding = _strict(data, declared), declared
        if text is None:
            guess = _guess(data)
            if guess is not None:
                text, encoding = guess
    if text is None or "\0" in text:
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding)


def declare_utf8(source: str) -> str:
    """Rewrite a coding declaration (``# -*- coding: shift_jis -*-``) to say utf-8.

    The text is stored as UTF-8; a stale declaration would make Python decode it as
    Shift-JIS again. The line stays where it was, so line numbers do not move.
    """
    lines = source.split("\n", 2)
    for index in range(min(2, len(lines))):
        match = CODING_TEXT.match(lines[index])
        if match:
            lines[index] = CODING_TEXT.sub(r"\g<1>utf-8", lines[index], count=1)
            break
    return "\n".join(lines)
