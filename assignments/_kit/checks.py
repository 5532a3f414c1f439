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
    if type(value).__name__ == "RemoteObject":  # grading: the student's object, by its name
        try:
            return str(object.__getattribute__(value, "_type"))
        except AttributeError:
            pass
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
    """Known mistakes whose value the result matches (NaN and inf where they are NaN and
    inf too: softmax without the max shift overflows exactly where it is expected to)."""
    found = []
    for mistake, value in candidates:
        try:
            result = np.asarray(actual, dtype=float)
            wrong = np.asarray(value, dtype=float)
            if result.shape == wrong.shape and np.allclose(
                    result, wrong, rtol=max(rtol, 1e-6), atol=max(atol, 1e-9), equal_nan=True):
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
            f"Check for divergence or division by zero.",
            _matching(result, candidates, rtol, atol))
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


# ----------------------------------------------------------------------------- variations
#
# Real submissions drift from the course's names and return conventions. The helpers
# below accept the common variations, say which one the student used (a note in the
# report), and fail with a clear message when none fits.
#
# 実際の提出物では、クラス名や戻り値の形が授業の指定と少し違うことがあります。
# 以下の関数はよくある書き方を受け付け、どれが使われたかを記録します。

#: Names real submissions use for the course's classes and functions; the first is the
#: course's own name. 授業で指定した名前 (先頭) と、よく使われる別名。
ALIASES: dict[str, tuple[str, ...]] = {
    "AddLayer": ("AddLayer", "AdditionLayer", "AddNode", "Add"),
    "MulLayer": ("MulLayer", "MultiplyLayer", "MultiLayer", "MultiplicationLayer", "MulNode",
                 "Mul"),
    "Relu": ("Relu", "ReLU", "ReluLayer", "ReLULayer"),
    "Sigmoid": ("Sigmoid", "SigmoidLayer"),
    "Tanh": ("Tanh", "TanH", "TanhLayer"),
    "Affine": ("Affine", "AffineLayer", "Linear", "LinearLayer"),
    "SoftmaxWithLoss": ("SoftmaxWithLoss", "SoftmaxWithLossLayer", "SoftmaxCrossEntropy",
                        "SoftmaxWithCrossEntropy", "SoftmaxLoss"),
    "MeanSquaredError": ("MeanSquaredError", "MeanSquaredErrorLayer", "MSE", "MSELoss"),
    "TwoLayerNet": ("TwoLayerNet", "TwoLayerNetwork", "TwoLayerNN"),
    "softmax": ("softmax", "soft_max"),
    "sigmoid": ("sigmoid",),
    "cross_entropy_error": ("cross_entropy_error", "cross_entropy", "cross_entropy_loss"),
    "numerical_gradient": ("numerical_gradient", "numerical_grad"),
    "Layer": ("Layer", "DenseLayer", "Dense", "FullyConnectedLayer", "FullyConnected"),
    "MLP": ("MLP", "Mlp", "MultiLayerPerceptron", "MultilayerPerceptron"),
}

#: Attribute names accepted for parameter gradients (first: the course's).
GRADIENT_NAMES: dict[str, tuple[str, ...]] = {
    "dW": ("dW", "dw", "grad_W", "grad_w", "gW", "g_W", "g_w", "dWeight"),
    "db": ("db", "dB", "grad_b", "gb", "g_b", "dbias"),
}


def _note(artifacts: Any, key: str, value: Any, ja: str, en: str) -> None:
    if artifacts is not None:
        artifacts.note(key, value, {"ja": ja, "en": en})


def resolve(module: Any, name: str, where: str = "", *, aliases: Iterable[str] | None = None,
            artifacts: Any = None) -> tuple[Any, str]:
    """The object a module defines under ``name`` or one of its accepted aliases.

    Returns ``(object, name_used)``. When an alias was used and ``artifacts`` is given,
    a note says so (accepted, shown in the report). Fails when no name matches.
    名前 (または別名) で定義されたクラス・関数を返します。
    """
    names = list(aliases) if aliases is not None else list(ALIASES.get(name, (name,)))
    if name not in names:
        names.insert(0, name)
    for candidate in names:
        try:
            value = getattr(module, candidate)
        except AttributeError:
            continue
        if value is None:
            continue
        if candidate != name:
            _note(artifacts, "alias", candidate,
                  f"{name} の代わりに {candidate} という名前が使われています (許容しています)。",
                  f"Uses the name {candidate} instead of {name} (accepted).")
        return value, candidate
    others = ", ".join(n for n in names if n != name)
    place = f"{where} に" if where else ""
    raise CheckFailure(
        f"{place}{name} が定義されていません" + (f" (別名 {others} も探しました)" if others else "")
        + "。名前のつづりを確認してください。",
        f"{name} is not defined" + (f" in {where}" if where else "")
        + (f" (also looked for {others})" if others else "") + ". Check the spelling.")


def backward_dx(result: Any, what: str, *, artifacts: Any = None) -> Any:
    """dx from a ``backward`` that returns dx alone or a tuple whose first element is dx.

    backward が dx だけを返しても、dx を先頭にしたタプルを返しても受け付けます。
    """
    if not isinstance(result, tuple):  # a list may be dx itself (rows): only tuples unpack
        return result
    if len(result) == 0:
        raise CheckFailure(f"{what} が空のタプルを返しました。dx を返してください。",
                           f"{what} returned an empty tuple; return dx.")
    if len(result) > 1:
        _note(artifacts, "backward", "tuple",
              f"{what} は dx を先頭にしたタプルを返しています (許容しています)。",
              f"{what} returns a tuple whose first element is dx (accepted).")
    return result[0]


def find_attribute(obj: Any, names: Iterable[str], what: str, *,
                   artifacts: Any = None) -> tuple[Any, str]:
    """The first attribute of ``obj`` among ``names`` that exists and is not None.

    Used for gradients a layer stores (``dW`` or ``grad_W`` ...). Returns
    ``(value, name_used)``; notes a name other than the first when ``artifacts`` is given.
    """
    names = list(names)
    for name in names:
        try:
            value = getattr(obj, name)
        except AttributeError:
            continue
        if value is None:
            continue
        if name != names[0]:
            _note(artifacts, "attribute", name,
                  f"{what} を属性 {name} から読みました ({names[0]} の代わり、許容しています)。",
                  f"Read {what} from the attribute {name} instead of {names[0]} (accepted).")
        return value, name
    raise CheckFailure(
        f"{what} が見つかりません。backward の中で self.{names[0]} に保存してください"
        f" (探した名前: {', '.join(names)})。",
        f"{what} was not found. Store it as self.{names[0]} in backward "
        f"(names looked for: {', '.join(names)}).")


def attempt(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, BaseException | None]:
    """Call the student's code: ``(result, None)``, or ``(None, error)`` when it raised.

    Only ordinary exceptions are caught (so that a test can say which known mistake
    makes the code raise). "Not implemented", time-outs and crashes propagate with their
    own status. 例外を捕まえて、既知の間違いとして説明するための関数です。
    """
    try:
        return function(*args, **kwargs), None
    except (NotImplementedError, CheckFailure):
        raise
    except Exception as error:  # noqa: BLE001 - the student's exception, examined below
        status = getattr(error, "status", None)
        if status not in (None, "failed") or type(error).__name__ == "GraderFault":
            raise
        return None, error


def error_text(error: BaseException) -> str:
    """One line describing an exception from :func:`attempt`."""
    if getattr(error, "status", None) is not None:  # grading: already says where
        return str(error).splitlines()[0][:300]
    return f"{type(error).__name__}: {str(error)[:300]}"


# ----------------------------------------------------------------------------- gradients


def relative_error(actual: Any, expected: Any) -> float:
    """``||actual - expected|| / (||actual|| + ||expected||)`` (0 when both are zero)."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if a.shape != e.shape:
        raise ValueError(f"shapes differ: {a.shape} and {e.shape}")
    scale = float(np.linalg.norm(a) + np.linalg.norm(e))
    return float(np.linalg.norm(a - e)) / scale if scale > 0 else 0.0


def numerical_gradient(f: Any, x: Any, h: float = 1e-5) -> np.ndarray:
    """Central differences (f(x + h) - f(x - h)) / 2h of a scalar function, any shape.

    ``f`` receives a fresh copy each time (student code may change its argument in
    place); ``x`` itself is not modified. 中心差分による数値微分です。
    """
    point = np.array(x, dtype=np.float64)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        saved = point[index]
        point[index] = saved + h
        plus = as_number(f(point.copy()), "f(x + h)")
        point[index] = saved - h
        minus = as_number(f(point.copy()), "f(x - h)")
        point[index] = saved
        grad[index] = (plus - minus) / (2 * h)
    return grad


def expect_relative(actual: Any, expected: Any, what: str, *, max_error: float = 1e-7,
                    mistakes: Candidates = ()) -> np.ndarray:
    """Check an array by relative error: type, exact shape, finite values, then
    ``relative_error(actual, expected) <= max_error``.

    Meant for gradients (analytic against numerical, or against the reference), where
    an element-wise tolerance is too strict for values near zero. Known mistakes in
    ``mistakes`` are matched by relative error as well.
    """
    candidates = list(mistakes)
    result = as_array(actual, what)
    expected = np.asarray(expected, dtype=np.float64)
    bound = max(max_error, 1e-6)

    def matching() -> list[Mistake]:
        found = []
        for mistake, candidate in candidates:
            try:
                value = np.asarray(candidate, dtype=np.float64)
            except (TypeError, ValueError):
                continue
            if (value.shape == result.shape and np.all(np.isfinite(result))
                    and relative_error(result, value) <= bound):
                found.append(mistake)
        return found

    if result.shape != expected.shape:
        raise _fail(
            f"{what} の形 (shape) が違います: 期待 {expected.shape}、実際 {result.shape}。",
            f"{what} has the wrong shape: expected {expected.shape}, got {result.shape}.",
            matching())
    bad = ~np.isfinite(result)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise _fail(
            f"{what} に NaN または inf が含まれています (位置 {index})。",
            f"{what} contains NaN or inf (at index {index}).", [])
    error = relative_error(result, expected)
    if error <= max_error:
        return result
    difference = np.abs(result - expected)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(difference)),
                                                   difference.shape)) if difference.size else ()
    at_ja = (f"最大の差は位置 {index}: 期待 {_fmt(float(expected[index]))}、"
             f"実際 {_fmt(float(result[index]))}。") if difference.size else ""
    at_en = (f"Largest difference at index {index}: expected "
             f"{_fmt(float(expected[index]))}, got {_fmt(float(result[index]))}.") \
        if difference.size else ""
    raise _fail(
        f"{what} の相対誤差 {error:.3g} が許容値 {max_error:g} を超えています。{at_ja}",
        f"{what} has relative error {error:.3g}, above the tolerance {max_error:g}. {at_en}",
        matching())
