"""The judge/worker codec: plain data only, strict decoding, no pickle."""

from __future__ import annotations

import json
import socket
import struct
import threading

import numpy as np
import pytest

from grader.worker.codec import (MAGIC, Channel, ProtocolError, Unencodable, decode_message,
                                 encode_message)


def roundtrip(message: dict, export=None, resolve=None) -> dict:
    buffers = encode_message(message, export)
    raw = b"".join(bytes(b) for b in buffers)
    header = struct.calcsize("!4sIQ")
    _, text_length, blob_length = struct.unpack("!4sIQ", raw[:header])
    text = raw[header:header + text_length]
    blob = memoryview(raw[header + text_length:])
    assert len(blob) == blob_length
    return decode_message(text, blob, resolve)


def test_plain_values_roundtrip() -> None:
    value = {"none": None, "bool": True, "int": -3, "big": 2**80, "float": 1.5,
             "nan": float("nan"), "inf": -float("inf"), "text": "日本語", "list": [1, [2.0]],
             "tuple": (1, "a"), "dict": {1: "x", "k": {"nested": (None,)}}, "bytes": b"\x00\x01"}
    back = roundtrip({"value": value})["value"]
    assert back["big"] == 2**80 and np.isnan(back["nan"]) and back["inf"] == -float("inf")
    assert back["tuple"] == (1, "a") and back["dict"] == {1: "x", "k": {"nested": (None,)}}
    assert back["text"] == "日本語" and back["bytes"] == b"\x00\x01"
    assert type(back["list"]) is list


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "uint8", "bool", "complex128"])
def test_arrays_roundtrip_exactly(dtype: str) -> None:
    array = (np.arange(24).reshape(2, 3, 4) % 5).astype(dtype)
    back = roundtrip({"a": array, "t": array.T, "empty": np.zeros((0, 3), dtype)})
    assert back["a"].dtype == array.dtype and np.array_equal(back["a"], array)
    assert np.array_equal(back["t"], array.T) and back["empty"].shape == (0, 3)
    assert back["a"].flags.writeable and back["a"].flags.owndata
    zero_d = roundtrip({"z": np.array(7, dtype)})["z"]
    assert zero_d.shape == () and zero_d.dtype == array.dtype and zero_d == np.array(7, dtype)


def test_numpy_scalars_become_python_numbers() -> None:
    back = roundtrip({"f": np.float64(2.5), "i": np.int32(7), "b": np.bool_(True)})
    assert (type(back["f"]), type(back["i"]), type(back["b"])) == (float, int, bool)


def test_subclasses_are_sent_as_their_plain_base() -> None:
    class Liar(float):
        def __eq__(self, other: object) -> bool:
            return True

    class Sneaky(np.ndarray):
        def __eq__(self, other: object):  # type: ignore[override]
            return np.ones(self.shape, bool)

    sneaky = np.arange(3.0).view(Sneaky)
    back = roundtrip({"liar": Liar(1.0), "array": sneaky})
    assert type(back["liar"]) is float and back["liar"] == 1.0 and back["liar"] != 2.0
    assert type(back["array"]) is np.ndarray
    assert not np.array_equal(back["array"], np.zeros(3))


def test_objects_need_an_exporter() -> None:
    class Thing:
        pass

    with pytest.raises(Unencodable):
        encode_message({"v": Thing()})
    with pytest.raises(Unencodable):
        encode_message({"v": np.array([Thing()], dtype=object)})
    back = roundtrip({"v": [Thing()]}, export=lambda obj: {"$h": 7, "type": "Thing",
                                                           "kind": "object"},
                     resolve=lambda tag, value: ("handle", value["$h"]))
    assert back["v"] == [("handle", 7)]


def test_handles_are_refused_without_a_resolver() -> None:
    buffers = encode_message({"v": 1})
    text = json.dumps({"v": {"$h": 1}}).encode()
    with pytest.raises(ProtocolError):
        decode_message(text, memoryview(b""))
    assert buffers[0][:4] == MAGIC


@pytest.mark.parametrize("body", [
    {"v": {"$a": [0, 8], "dtype": "|O", "shape": [1]}},           # object dtype
    {"v": {"$a": [0, 8], "dtype": "<f8", "shape": [2]}},          # size mismatch
    {"v": {"$a": [4, 8], "dtype": "<f8", "shape": [1]}},          # outside the blob
    {"v": {"$a": [0, 8], "dtype": "<f8", "shape": [-1]}},         # negative shape
    {"v": {"$pickle": "gASV"}},                                   # unknown tag
    {"v": {"$d": [[[1], 2]]}},                                    # unhashable key
    {"v": {"$n": "1" * 5000}},                                    # absurd integer
    {"v": {}},                                                    # empty object
])
def test_malformed_messages_are_rejected(body: dict) -> None:
    with pytest.raises(ProtocolError):
        decode_message(json.dumps(body).encode(), memoryview(b"\0" * 8))


def test_deep_nesting_is_rejected() -> None:
    deep: list = []
    for _ in range(200):
        deep = [deep]
    with pytest.raises(Unencodable):
        encode_message({"v": deep})
    text = ("[" * 100 + "]" * 100).encode()
    with pytest.raises(ProtocolError):
        decode_message(b'{"v": ' + text + b"}", memoryview(b""))


def test_channel_over_a_socket_pair() -> None:
    left, right = socket.socketpair()
    sender, receiver = Channel(left), Channel(right)
    big = np.random.default_rng(0).standard_normal((300, 300))
    thread = threading.Thread(target=sender.send, args=({"x": big, "many": [np.arange(3)] * 400},))
    thread.start()
    message = receiver.receive()
    thread.join()
    assert np.array_equal(message["x"], big) and len(message["many"]) == 400
    right.sendall(b"XXXX" + b"\0" * 12)
    with pytest.raises(ProtocolError):
        sender.receive()
    right.close()
    with pytest.raises(EOFError):
        sender.receive()
