"""The wire format between the judge and a student worker.

Why not pickle: unpickling runs code chosen by the sender, and the sender here is a
student's process. This codec moves only plain data: ``None``, ``bool``, ``int``,
``float``, ``str``, ``bytes``, lists, tuples, dicts with ``str``/``int`` keys and
numpy arrays of plain numeric dtypes. Anything else stays where it lives and crosses
as a *handle* (an integer the owner resolves). The decoder is strict: whatever bytes
arrive, it builds only those types, or raises :class:`ProtocolError`.

A frame is ``MAGIC | json length (u32) | blob length (u64) | json | blob``. Arrays and
bytes travel in the blob, referenced from the JSON by offset and length, so a large
array costs one copy and no text conversion.

Tags (a JSON object with one ``$`` key) mark the non-JSON types:

======  ===============================================
``$f``  non-finite float: ``"nan"``, ``"inf"``, ``"-inf"``
``$n``  int too large for JSON number safety (decimal string)
``$t``  tuple (list of items)
``$d``  dict (list of ``[key, value]`` pairs)
``$a``  ndarray: ``[offset, nbytes]`` plus ``dtype`` and ``shape``
``$b``  bytes: ``[offset, nbytes]``
``$h``  handle to an object owned by the *other* side
``$g``  ``numpy.random.Generator`` state (judge to worker only)
``$c``  judge callable the worker may call back (judge to worker only)
``$o``  judge object whose public methods the worker may call back (judge to worker only)
``$w``  one of ``studentops.WORKER_FUNCTIONS``, by name, to run in the worker
======  ===============================================
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
from collections.abc import Callable
from typing import Any

import numpy as np

#: Bump when the frame layout or a tag changes (both sides check it at hello).
FORMAT_VERSION = 1

MAGIC = b"NNG1"
_HEADER = struct.Struct("!4sIQ")
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_BLOB_BYTES = 512 * 1024 * 1024
MAX_DEPTH = 64
MAX_STRING = 1024 * 1024
MAX_ITEMS = 2_000_000

#: dtypes allowed on the wire, by their canonical ``dtype.str``.
ALLOWED_DTYPES = frozenset(
    np.dtype(name).str
    for name in (
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128",
    )
)
_INT_SAFE = 2**63


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, so that it encodes as UTF-8.

    JSON can carry ``"\\udcff"`` (a student printing undecodable bytes through
    ``surrogateescape``); such a string would make every later ``encode("utf-8")`` fail:
    writing the result, the gradebook, the report.
    """
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


class ProtocolError(Exception):
    """The bytes received are not a valid message (or exceed the limits)."""


class Unencodable(Exception):
    """A value has no plain-data form and no exporter was given to turn it into a handle."""


# --------------------------------------------------------------------------- encode


class _Encoder:
    def __init__(self, export: Callable[[Any], dict] | None) -> None:
        self.export = export
        self.chunks: list[bytes | memoryview] = []
        self.offset = 0

    def _blob(self, data: bytes | memoryview) -> list[int]:
        start = self.offset
        self.chunks.append(data)
        self.offset += len(data)
        return [start, len(data)]

    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise Unencodable("nesting too deep")
        # Exact type checks first: subclasses (a float with its own __eq__, an ndarray
        # subclass) are converted to the plain type, never sent as themselves.
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            number = int.__index__(value)  # a plain int, whatever the subclass overrides
            return number if -_INT_SAFE < number < _INT_SAFE else {"$n": str(number)}
        if isinstance(value, float):
            real = float.__float__(value)
            return real if math.isfinite(real) else {"$f": repr(real)}
        if isinstance(value, np.ndarray):
            return self._array(value)
        if isinstance(value, np.generic) and value.dtype.str in ALLOWED_DTYPES:
            return self.encode(value.item(), depth)
        if kind is list:
            return [self.encode(item, depth + 1) for item in value]
        if kind is tuple:
            return {"$t": [self.encode(item, depth + 1) for item in value]}
        if kind is dict and all(type(key) in (str, int) for key in value):
            return {"$d": [[key, self.encode(item, depth + 1)] for key, item in value.items()]}
        if kind is bytes:
            return {"$b": self._blob(value)}
        if self.export is not None:
            return self.export(value)
        raise Unencodable(f"cannot send a value of type {kind.__name__}")

    def _array(self, array: np.ndarray) -> Any:
        plain = np.asarray(array).view(np.ndarray)
        if plain.dtype.str not in ALLOWED_DTYPES:
            if plain.dtype.byteorder == ">" and plain.dtype.newbyteorder("=").str in ALLOWED_DTYPES:
                plain = plain.astype(plain.dtype.newbyteorder("="))
            elif self.export is not None:
                return self.export(array)
            else:
                raise Unencodable(f"cannot send an array of dtype {plain.dtype}")
        # Not np.ascontiguousarray: it makes a 0-d array (what np.tensordot or np.einsum
        # return for one point) 1-d, and float() of a 1-d array is an error in numpy 2.
        data = np.asarray(plain, order="C")
        raw = data.reshape(-1).view(np.uint8).data if data.size else b""
        return {"$a": self._blob(raw), "dtype": data.dtype.str, "shape": list(data.shape)}


def encode_message(message: dict, export: Callable[[Any], dict] | None = None) -> list:
    """Encode a message dict into a list of buffers ready for ``sendmsg``."""
    encoder = _Encoder(export)
    body = {key: encoder.encode(item) for key, item in message.items()}
    text = json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
    if len(text) > MAX_JSON_BYTES or encoder.offset > MAX_BLOB_BYTES:
        raise Unencodable("message too large")
    return [_HEADER.pack(MAGIC, len(text), encoder.offset), text, *encoder.chunks]


# --------------------------------------------------------------------------- decode


class _Decoder:
    def __init__(self, blob: memoryview, resolve: Callable[[str, Any], Any] | None) -> None:
        self.blob = blob
        self.resolve = resolve
        self.items = 0

    def _slice(self, ref: Any) -> memoryview:
        if (type(ref) is not list or len(ref) != 2
                or not all(type(n) is int and n >= 0 for n in ref)
                or ref[0] + ref[1] > len(self.blob)):
            raise ProtocolError("bad blob reference")
        return self.blob[ref[0]:ref[0] + ref[1]]

    def decode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise ProtocolError("message too deep or too large")
        kind = type(value)
        if value is None or kind in (bool, int, float):
            return value
        if kind is str:
            if len(value) > MAX_STRING:
                raise ProtocolError("string too long")
            return valid_text(value)
        if kind is list:
            return [self.decode(item, depth + 1) for item in value]
        if kind is not dict or len(value) == 0:
            raise ProtocolError(f"unexpected JSON value of type {kind.__name__}")
        tag = next(iter(value))
        payload = value[tag]
        if tag == "$t" and type(payload) is list:
            return tuple(self.decode(item, depth + 1) for item in payload)
        if tag == "$d" and type(payload) is list:
            result = {}
            for pair in payload:
                if type(pair) is not list or len(pair) != 2 or type(pair[0]) not in (str, int):
                    raise ProtocolError("bad dict entry")
                key = valid_text(pair[0]) if type(pair[0]) is str else pair[0]
                result[key] = self.decode(pair[1], depth + 1)
            return result
        if tag == "$f" and payload in ("nan", "inf", "-inf"):
            return float(payload)
        if tag == "$n" and type(payload) is str and len(payload) <= 4000:
            try:
                return int(payload)
            except ValueError:
                raise ProtocolError("bad big integer") from None
        if tag == "$a":
            return self._array(value)
        if tag == "$b":
            return bytes(self._slice(payload))
        if tag in ("$h", "$g", "$c", "$o", "$w") and self.resolve is not None:
            return self.resolve(tag, value)
        raise ProtocolError(f"unknown tag {tag!r}")

    def _array(self, value: dict) -> np.ndarray:
        dtype_str, shape = value.get("dtype"), value.get("shape")
        if dtype_str not in ALLOWED_DTYPES:
            raise ProtocolError(f"dtype {dtype_str!r} not allowed")
        if (type(shape) is not list or len(shape) > 32
                or not all(type(n) is int and n >= 0 for n in shape)):
            raise ProtocolError("bad array shape")
        dtype = np.dtype(dtype_str)
        data = self._slice(value["$a"])
        if math.prod(shape) * dtype.itemsize != len(data):
            raise ProtocolError("array size does not match its shape")
        # A fresh, writable, plain ndarray that owns its memory.
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def decode_message(text: bytes, blob: memoryview,
                   resolve: Callable[[str, Any], Any] | None = None) -> dict:
    """Decode one frame's JSON and blob into a dict of plain values."""
    try:
        body = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"invalid JSON: {error}") from None
    if type(body) is not dict:
        raise ProtocolError("a message must be a JSON object")
    decoder = _Decoder(blob, resolve)
    return {key: decoder.decode(item) for key, item in body.items()}


# --------------------------------------------------------------------------- channel


class Channel:
    """Framed messages over a connected stream socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, message: dict, export: Callable[[Any], dict] | None = None) -> None:
        buffers = encode_message(message, export)
        if len(buffers) > 256:  # stay well under the kernel's IOV_MAX
            buffers = [b"".join(bytes(b) for b in buffers)]
        total = sum(len(b) for b in buffers)
        sent = self.sock.sendmsg(buffers)
        if sent < total:  # partial send: flatten the rest and finish with sendall
            rest = b"".join(bytes(b) for b in buffers)[sent:]
            self.sock.sendall(rest)

    def _recv_exact(self, size: int) -> bytearray:
        buffer = bytearray(size)
        view = memoryview(buffer)
        got = 0
        while got < size:
            count = self.sock.recv_into(view[got:], size - got)
            if count == 0:
                raise EOFError("peer closed the channel")
            got += count
        return buffer

    def receive(self, resolve: Callable[[str, Any], Any] | None = None) -> dict:
        magic, text_length, blob_length = _HEADER.unpack(self._recv_exact(_HEADER.size))
        if magic != MAGIC:
            raise ProtocolError("bad frame magic")
        if text_length > MAX_JSON_BYTES or blob_length > MAX_BLOB_BYTES:
            raise ProtocolError("frame too large")
        text = self._recv_exact(text_length)
        blob = self._recv_exact(blob_length) if blob_length else bytearray()
        return decode_message(bytes(text), memoryview(blob), resolve)
