"""Checks for the course's tests, with messages in Japanese and English.

授業のテストで使う確認関数です。失敗すると、何が期待され何が返ってきたか
(形、最大誤差、その位置) を日本語と英語で表示します。

Every check raises :class:`CheckFailure` (an ``AssertionError``) with a message that
says what was expected, what came back (type, shape, largest error and where) and, when
the result matches a known mistake, names the mistake. numpy only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np


class CheckFailure(AssertionError):
    """A failed check. ``bilingual`` holds the message in both languages."""

    def __init__(self, ja: str, en: str, details: str = "",
                 diagnoses: Iterable[str] = ()) -> None:
        self.bilingual = {"ja": ja, "en": en}
        self.details = details
        self.diagnoses = tuple(diagnoses)
        super().__init__(f"{ja}\n{en}")


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation: its id and an explanation in both languages."""

    id: str
    ja: str
    en: str

    @classmethod
    def from_catalogue(cls, catalogue: dict, mistake_id: str) -> Mistake:
        entry = catalogue.get(mistake_id)
        if entry is None:  # a laptop run has no catalogue: the id still says something
            return cls(mistake_id, mistake_id, mistake_id)
        return cls(mistake_id, entry["ja"], entry["en"])


Candidates = Iterable[tuple[Mistake, Any]]


# ----------------------------------------------------------------------------- helpers


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def describe_type(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"ndarray(shape={value.shape}, dtype={value.dtype})"
    return type(value).__name__


def as_array(value: Any, what: str) -> np.ndarray:
    """The value as a float ndarray; a clear failure for anything that is not numbers."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.astype(np.float64, copy=False)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return np.asarray(float(value))
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            pass
        else:
            return array
    raise CheckFailure(
        f"{what} は数値の配列 (numpy.ndarray) を返す必要がありますが、{describe_type(value)} "
        f"が返されました。",
        f"{what} must return a numeric array (numpy.ndarray), but returned "
        f"{describe_type(value)}.")


def as_number(value: Any, what: str) -> float:
    """The value as a Python float (0-d and 1-element arrays accepted)."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "biuf":
        return float(value.reshape(()))
    raise CheckFailure(
        f"{what} は数値 (float) を返す必要がありますが、{describe_type(value)} が返されました。",
        f"{what} must return a number (float), but returned {describe_type(value)}.")


def close(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    actual, expected = np.asarray(actual), np.asarray(expected)
    return actual.shape == expected.shape and bool(
        np.all(np.isfinite(actual)) and np.allclose(actual, expected, rtol=rtol, atol=atol))


def _matching(actual: Any, candidates: Candidates, rtol: float, atol: float) -> list[Mistake]:
    found = []
    for mistake, value in candidates:
        try:
            if close(np.asarray(actual, dtype=float), np.asarray(value, dtype=float),
                     max(rtol, 1e-6), max(atol, 1e-9)):
                found.append(mistake)
        except (TypeError, ValueError):
            continue
    return found


def _fail(ja: str, en: str, found: list[Mistake], details: str = "") -> CheckFailure:
    if found:
        ja += "\nよくある間違い: " + " / ".join(m.ja for m in found)
        en += "\nLikely mistake: " + " / ".join(m.en for m in found)
    return CheckFailure(ja, en, details, [m.id for m in found])


# ----------------------------------------------------------------------------- checks


def expect_array(actual: Any, expected: Any, what: str, *, rtol: float = 1e-7,
                 atol: float = 1e-10, mistakes: Candidates = ()) -> np.ndarray:
    """Check an array result: type, exact shape, finite values, then closeness.

    ``mistakes`` pairs known mistakes with the value each would produce; a result
    matching one of them is named in the message. Returns the result as an array.
    """
    candidates = list(mistakes)
    result = as_array(actual, what)
    expected = np.asarray(expected, dtype=np.float64)
    if result.shape != expected.shape:
        found = _matching(result, candidates, rtol, atol)
        raise _fail(
            f"{what} の形 (shape) が違います: 期待 {expected.shape}、実際 {result.shape}。",
            f"{what} has the wrong shape: expected {expected.shape}, got {result.shape}.",
            found)
    bad = ~np.isfinite(result)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise _fail(
            f"{what} に NaN または inf が含まれています (位置 {index})。"
            f"発散していないか、0 で割っていないか確認してください。",
            f"{what} contains NaN or inf (at index {index}). "
            f"Check for divergence or division by zero.", [])
    if np.allclose(result, expected, rtol=rtol, atol=atol):
        return result
    error = np.abs(result - expected)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
    found = _matching(result, candidates, rtol, atol)
    raise _fail(
        f"{what} の値が期待と違います。最大誤差 {_fmt(float(error[index]))} (位置 {index}): "
        f"期待 {_fmt(float(expected[index]))}、実際 {_fmt(float(result[index]))} "
        f"(許容: rtol={rtol:g}, atol={atol:g})。",
        f"{what} differs from the expected values. Largest error "
        f"{_fmt(float(error[index]))} at index {index}: expected "
        f"{_fmt(float(expected[index]))}, got {_fmt(float(result[index]))} "
        f"(tolerance rtol={rtol:g}, atol={atol:g}).", found)


def expect_number(actual: Any, expected: float, what: str, *, rtol: float = 1e-7,
                  atol: float = 1e-10, mistakes: Candidates = ()) -> float:
    """Check a scalar result (a float, or a 0-d / one-element array)."""
    candidates = list(mistakes)
    value = as_number(actual, what)
    if not math.isfinite(value):
        raise _fail(f"{what} が有限の値ではありません ({value})。",
                    f"{what} is not finite ({value}).", [])
    if math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        return value
    found = _matching(np.asarray(value), [(m, np.asarray(v, dtype=float)) for m, v in candidates],
                      rtol, atol)
    raise _fail(
        f"{what} の値が違います: 期待 {_fmt(float(expected))}、実際 {_fmt(value)} "
        f"(許容: rtol={rtol:g}, atol={atol:g})。",
        f"{what} is wrong: expected {_fmt(float(expected))}, got {_fmt(value)} "
        f"(tolerance rtol={rtol:g}, atol={atol:g}).", found)


def expect_length(actual: Any, length: int, what: str) -> None:
    try:
        got = len(actual)
    except TypeError:
        raise CheckFailure(f"{what} は長さのある値 (list や ndarray) である必要があります。"
                           f"実際: {describe_type(actual)}",
                           f"{what} must be a sequence (list or ndarray); got "
                           f"{describe_type(actual)}.") from None
    if got != length:
        raise CheckFailure(f"{what} の長さが違います: 期待 {length}、実際 {got}。",
                           f"{what} has the wrong length: expected {length}, got {got}.")


def expect_tuple(actual: Any, length: int, what: str) -> tuple:
    """A function documented to return ``(a, b, ...)`` returned that many values."""
    if not isinstance(actual, (tuple, list)) or len(actual) != length:
        raise CheckFailure(
            f"{what} は {length} 個の値のタプルを返す必要があります。実際: {describe_type(actual)}"
            + (f" (長さ {len(actual)})" if isinstance(actual, (tuple, list)) else ""),
            f"{what} must return a tuple of {length} values; got {describe_type(actual)}"
            + (f" of length {len(actual)}" if isinstance(actual, (tuple, list)) else "") + ".")
    return tuple(actual)


def expect(condition: bool, ja: str, en: str, mistake: Mistake | None = None) -> None:
    """A free-form check with a message in both languages."""
    if not condition:
        raise _fail(ja, en, [mistake] if mistake else [])


def first_matching(actual: Any, candidates: Candidates, rtol: float = 1e-7,
                   atol: float = 1e-10) -> Mistake | None:
    """The first known mistake the value matches (for tests that branch on it)."""
    found = _matching(actual, list(candidates), rtol, atol)
    return found[0] if found else None
