"""The protocol between the judge and its zygote, typed and versioned like the codec.

Messages are JSON objects on a SOCK_SEQPACKET socket (one message per packet); a
``spawn`` carries two file descriptors (the worker's channel and its output file):

judge -> zygote  :class:`Spawn` ``{"op": "spawn", "id", "job", "config", "tmp_mb"}``
                 with [channel, output] attached
                 :class:`Kill`  ``{"op": "kill", "id"}``
zygote -> judge  :class:`Ready` ``{"op": "ready", "pid", "preloaded", "version"}``
                 :class:`Spawned` ``{"op": "spawned", "id"}``
                 :class:`Exited` ``{"op": "exited", "id", "status"}``

An exit status above 128 means the worker was killed by signal ``status - 128``.
:func:`decode` is strict: an unknown op, a missing field or a field of the wrong type
is a :class:`ZygoteProtocolError`. The judge checks ``Ready.version`` against
``VERSION`` before it spawns anything. This module lives beside the zygote (the worker
side imports only ``grader.worker``); the judge's half is ``grader.sandbox.zygote``.

Versions: 1. first typed version (the untyped messages before it had no version).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

VERSION = 1


class ZygoteProtocolError(ValueError):
    """A message that is not one of the protocol's."""


@dataclass(frozen=True)
class Spawn:
    op: ClassVar[str] = "spawn"
    id: int
    job: str
    config: dict
    tmp_mb: int


@dataclass(frozen=True)
class Kill:
    op: ClassVar[str] = "kill"
    id: int


@dataclass(frozen=True)
class Ready:
    op: ClassVar[str] = "ready"
    pid: int
    preloaded: list
    version: int


@dataclass(frozen=True)
class Spawned:
    op: ClassVar[str] = "spawned"
    id: int


@dataclass(frozen=True)
class Exited:
    op: ClassVar[str] = "exited"
    id: int
    status: int


Message = Spawn | Kill | Ready | Spawned | Exited
_TYPES: dict[str, Any] = {cls.op: cls for cls in (Spawn, Kill, Ready, Spawned, Exited)}
_FIELD_TYPES = {"int": int, "str": str, "dict": dict, "list": list}


def encode(message: Message) -> bytes:
    return json.dumps({"op": message.op, **asdict(message)}).encode()


def decode(data: bytes) -> Message:
    try:
        raw = json.loads(data)
    except ValueError as error:
        raise ZygoteProtocolError(f"not JSON: {error}") from None
    if not isinstance(raw, dict) or raw.get("op") not in _TYPES:
        raise ZygoteProtocolError(f"unknown message {str(raw)[:100]!r}")
    cls = _TYPES[raw["op"]]
    values = {}
    for field in fields(cls):
        value = raw.get(field.name)
        expected = _FIELD_TYPES[str(field.type)]
        if type(value) is not expected:
            raise ZygoteProtocolError(f"{cls.op}: field {field.name} must be {field.type}")
        values[field.name] = value
    return cls(**values)
