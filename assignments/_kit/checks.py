"""Checks for the course's tests, with messages in Japanese and English.

授業のテストで使う確認関数です。失敗すると、どこがどれだけ違うか (形、相対誤差、
最大の差の位置) と、違い方から考えられる原因 (ヒント) を日本語と英語で表示します。

Every check raises :class:`CheckFailure` (an ``AssertionError``) whose message says what
is wrong, where (the index of the largest difference, the relative error) and why it may
be: a known mistake from the assignment's catalogue when the result matches one, else a
*hint* recognised from the shape of the difference (a constant factor such as 2, ½ or the
batch size, a flipped sign, a transpose, a reshape, a sum over the wrong axis, a shift by
one step, a tiny difference such as a missing 1e-7, only some rows wrong...). The
expected and actual values are kept apart (``CheckFailure.values``): public tests show
them, hidden tests show them to the instructor only. numpy only.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

#: What a check is about: one string, or {"ja": ..., "en": ...} when it contains prose.
Label = str | dict


def label(ja: str, en: str) -> dict:
    """A bilingual label for ``what`` (say it in both languages when it is prose)."""
    return {"ja": ja, "en": en}


def _in(what: Label, lang: str) -> str:
    return str(what.get(lang) or what.get("en")) if isinstance(what, dict) else str(what)


class CheckFailure(AssertionError):
    """A failed check.

    ``bilingual`` is the message anyone may see (what is wrong, where, why); ``values``
    holds the expected and actual numbers, which a hidden test shows to the instructor
    only; ``diagnoses`` are ids of catalogued mistakes, ``hints`` ids of recognised
    differences (see :data:`HINTS`).
    """

    def __init__(self, ja: str, en: str, details: str = "",
                 diagnoses: Iterable[str] = (), *, hints: Iterable[str] = (),
                 values_ja: str = "", values_en: str = "") -> None:
        self.bilingual = {"ja": ja, "en": en}
        self.values = {"ja": values_ja, "en": values_en}
        self.details = details
        self.diagnoses = tuple(diagnoses)
        self.hints = tuple(hints)
        text_ja = f"{ja}\n{values_ja}" if values_ja else ja
        text_en = f"{en}\n{values_en}" if values_en else en
        super().__init__(f"{text_ja}\n{text_en}")


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


# ----------------------------------------------------------------------------- hints
#
# ヒント: 期待との違い方から、よくある原因を推測して表示します。
# Hints: the shape of a difference, recognised without any catalogue of mistakes.

HINTS: dict[str, tuple[str, str]] = {
    "transposed": ("転置になっています (.T をとると期待と一致します)。行列積の順番や .T を"
                   "確認してください (x.T @ g と g.T @ x など)。",
                   "It is the transpose of the expected value (its .T matches). Check the "
                   "order of the matrix product and .T (x.T @ g versus g.T @ x)."),
    "reshaped": ("値は合っていますが形 (shape) が違います。reshape、keepdims、[:, None] "
                 "などを確認してください。",
                 "The values are right but the shape is not. Check reshape, keepdims or "
                 "[:, None]."),
    "summed_all": ("すべての要素の和 (1 つの値) になっています。np.sum(..., axis=0) のように"
                   "和をとる軸を指定してください。",
                   "It is the sum of all elements (one value). Give the axis to sum over, "
                   "as in np.sum(..., axis=0)."),
    "wrong_axis": ("和や平均をとる軸が違うようです (サンプルごとに 1 つの値になっています)。"
                   "バッチ方向は axis=0 です。",
                   "The sum or mean seems to be over the wrong axis (one value per sample). "
                   "The batch runs along axis=0."),
    "broadcast": ("形 (N, 1) と (N,) の配列を組み合わせて (N, N) に広がっています "
                  "(ブロードキャスト)。両方の形を揃えてください。",
                  "An (N, 1) and an (N,) array were combined into (N, N) by broadcasting. "
                  "Make their shapes agree."),
    "sign": ("符号が逆です (すべての値が期待の -1 倍)。引き算の順番 (y - t と t - y) や"
             "更新の符号を確認してください。",
             "The sign is flipped (every value is -1 times the expected one). Check the "
             "order of a subtraction (y - t versus t - y) or the sign of the update."),
    "factor_two": ("すべての値が期待のちょうど 2 倍です。係数 ½ を忘れていませんか (または "
                   "2 が余分)。",
                   "Every value is exactly 2 times the expected one. Is a factor ½ "
                   "missing (or a 2 too many)?"),
    "factor_half": ("すべての値が期待のちょうど ½ です。係数 2 を忘れていませんか (2 乗の微分は "
                    "2x です)。",
                    "Every value is exactly ½ of the expected one. Is a factor 2 missing "
                    "(the derivative of x^2 is 2x)?"),
    "factor_batch": ("すべての値が期待のちょうど N = {batch} 倍です。バッチの大きさ N で割り"
                     "忘れていませんか。",
                     "Every value is exactly N = {batch} times the expected one. Did you "
                     "forget to divide by the batch size N?"),
    "factor_inv_batch": ("すべての値が期待のちょうど 1/N (N = {batch}) 倍です。バッチの大きさ "
                         "N で余分に割っていませんか。",
                         "Every value is exactly 1/N (N = {batch}) of the expected one. Is "
                         "there an extra division by the batch size N?"),
    "factor": ("すべての値が期待の同じ倍率になっています (定数倍のずれ)。係数や学習率の掛け方を"
               "確認してください。",
               "Every value is the expected one times the same factor (a constant factor). "
               "Check the coefficients and where the learning rate is applied."),
    "offset": ("すべての値が期待から同じ量だけずれています。定数項 (バイアスや +1 など) を"
               "確認してください。",
               "Every value is off by the same amount. Check the constant terms (the bias, "
               "a +1, ...)."),
    "zeros": ("すべて 0 です。計算した値を代入・返却しているか確認してください。",
              "Every value is 0. Check that the computed value is stored and returned."),
    "tiny": ("差はごく小さい (相対誤差 {relative}) です。1e-7 のような小さな定数 (log の中の "
             "+ 1e-7 など) が足りないか余分ではありませんか。",
             "The difference is tiny (relative error {relative}). Is a small constant such "
             "as the + 1e-7 inside a log missing or extra?"),
    "shifted_later": ("1 つ後の値とずれています: 各回の値を更新の *後* に記録していませんか "
                      "(更新の前に記録します)。",
                      "The values are shifted by one step: are they recorded *after* each "
                      "update? Record them before the update."),
    "shifted_earlier": ("1 つ前の値とずれています: 最初の値 (初期値) が抜けていませんか。",
                        "The values are shifted by one step: is the first value (the "
                        "starting point) missing?"),
    "rows": ("一部の行だけが違います ({where})。", "Only some rows differ ({where})."),
    "columns": ("一部の列だけが違います ({where})。", "Only some columns differ ({where})."),
    "entries": ("一部の要素だけが違います ({where})。", "Only some entries differ ({where})."),
    "not_finite": ("NaN または inf が含まれています。発散 (学習率が大きすぎる) や 0 での割り算、"
                   "exp のオーバーフローを確認してください。",
                   "There is NaN or inf. Check for divergence (a learning rate too large), a "
                   "division by zero or an overflowing exp."),
    # Hints a test recognises by computing the variant itself (not from the catalogue):
    "updated_first": ("パラメータを更新した *後* の値で計算しています。前のノードへ返す勾配は"
                      "更新の *前* の値で計算してください。",
                      "It was computed with the parameters *after* the update. Compute the "
                      "gradient passed back with the values *before* the update."),
    "whole_array": ("配列全体の統計量 (最大値・平均など) を使っています。列ごと (axis=0) に"
                    "計算してください。",
                    "It uses statistics of the whole array (its max, mean, ...). Compute "
                    "them per column (axis=0)."),
    "per_row": ("行ごと (axis=1) に計算しています。列ごと (axis=0) に計算してください。",
                "It is computed per row (axis=1). Compute it per column (axis=0)."),
    "per_column": ("列ごと (axis=0) に計算しています。行ごと (axis=1) に計算してください。",
                   "It is computed per column (axis=0). Compute it per row (axis=1)."),
    "input_changed": ("引数の配列をその場で書き換えています。入力は変更せず、新しい配列を"
                      "作るか x.copy() を使ってください。",
                      "It changes the array it was given (in place). Leave the input as it "
                      "is: make a new array or use x.copy()."),
    "wrong_parameter": ("パラメータについての勾配を返しています。前のノード (入力) へは入力に"
                        "ついての勾配を返します。",
                        "It returns the gradient with respect to the parameter. The previous "
                        "node needs the gradient with respect to the input."),
    "backward_block": ("{good} は自分の forward の数値微分と一致しますが、{bad} は一致しません。"
                       "{bad} へ逆伝播する部分 (どの重み・行を使うか、活性化関数の微分、更新の前の"
                       "値か) を確認してください。",
                       "{good} agrees with the numerical gradient of your forward, {bad} does "
                       "not. Check the back-propagation into {bad} (which weights and rows, "
                       "the activation's derivative, values from before the update)."),
}


@dataclass(frozen=True)
class Hint:
    """A recognised kind of difference, explained in both languages.

    ``detail_ja``/``detail_en`` hold numbers measured from the student's values (the
    factor, the offset): they go with the expected and actual values, which a hidden
    test shows to the instructor only (they could reveal its inputs).
    """

    id: str
    ja: str
    en: str
    detail_ja: str = ""
    detail_en: str = ""


def hint(hint_id: str, **params: Any) -> Hint:
    """The built-in hint ``hint_id`` with its placeholders filled in."""
    ja, en = HINTS[hint_id]
    return Hint(hint_id, ja.format(**params), en.format(**params))


Variants = Iterable[tuple[str, Any]]
"""(hint id, the value a student's code gives with that kind of slip) pairs."""


def _matches(result: np.ndarray, value: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    try:
        wrong = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return (result.shape == wrong.shape and bool(np.all(np.isfinite(result)))
            and bool(np.allclose(result, wrong, rtol=rtol, atol=atol)))


def _nice(value: float) -> str:
    return f"{value:.4g}"


def _factor_hint(ratio: float, batch: int | None) -> Hint:
    for target, hint_id in ((-1.0, "sign"), (2.0, "factor_two"), (0.5, "factor_half")):
        if math.isclose(ratio, target, rel_tol=1e-4):
            return hint(hint_id)
    if batch and batch > 1:
        if math.isclose(ratio, batch, rel_tol=1e-4):
            return hint("factor_batch", batch=batch)
        if math.isclose(ratio, 1 / batch, rel_tol=1e-4):
            return hint("factor_inv_batch", batch=batch)
    return Hint("factor", *HINTS["factor"], detail_ja=f"倍率 {_nice(ratio)}",
                detail_en=f"factor {_nice(ratio)}")


def _places(indices: list[int], size: int) -> str:
    if indices == [size - 1]:
        return "last"
    if indices == [0]:
        return "first"
    return ", ".join(str(i) for i in indices[:6]) + (" ..." if len(indices) > 6 else "")


def _numbered(singular: str, plural: str, where: str) -> str:
    return f"{singular if ',' not in where else plural} {where}"


def _localised(result: np.ndarray, expected: np.ndarray, rtol: float,
               atol: float) -> Hint | None:
    wrong = ~np.isclose(result, expected, rtol=rtol, atol=atol)
    if not wrong.any() or wrong.all():
        return None
    if result.ndim == 2 and result.shape[0] > 1:
        rows = [int(i) for i in np.flatnonzero(wrong.any(axis=1))]
        cols = [int(i) for i in np.flatnonzero(wrong.any(axis=0))]
        if len(rows) < result.shape[0] and (len(cols) == result.shape[1] or len(rows) == 1):
            where = _places(rows, result.shape[0])
            return Hint("rows", HINTS["rows"][0].format(
                where={"last": "最後の行", "first": "最初の行"}.get(where, f"行 {where}")),
                HINTS["rows"][1].format(
                where={"last": "the last row", "first": "the first row"}.get(
                    where, _numbered("row", "rows", where))))
        if len(cols) < result.shape[1]:
            where = _places(cols, result.shape[1])
            return Hint("columns", HINTS["columns"][0].format(
                where={"last": "最後の列", "first": "最初の列"}.get(where, f"列 {where}")),
                HINTS["columns"][1].format(
                where={"last": "the last column", "first": "the first column"}.get(
                    where, _numbered("column", "columns", where))))
    if result.ndim == 1 and result.size > 2:
        indices = [int(i) for i in np.flatnonzero(wrong)]
        where = _places(indices, result.size)
        return Hint("entries", HINTS["entries"][0].format(
            where={"last": "最後の要素", "first": "最初の要素"}.get(where, f"位置 {where}")),
            HINTS["entries"][1].format(
            where={"last": "the last entry", "first": "the first entry"}.get(
                where, f"at {where}")))
    return None


def _shape_hint(result: np.ndarray, expected: np.ndarray, batch: int | None) -> Hint | None:
    if result.ndim == 2 and result.shape == expected.shape[::-1] and result.shape[0] != \
            result.shape[1] and _matches(result.T, expected):
        return hint("transposed")
    if result.size == expected.size and result.size > 0 and _matches(
            result.reshape(expected.shape), expected):
        return hint("reshaped")
    if result.size == 1 and expected.size > 1 and _matches(result.reshape(()),
                                                            np.sum(expected)):
        return hint("summed_all")
    if result.size == 1 and expected.ndim >= 1 and expected.size > 1:
        return hint("summed_all")
    if batch and result.shape == (batch,) and expected.ndim == 1 and expected.size != batch:
        return hint("wrong_axis")
    if result.ndim == 2 and result.shape[0] == result.shape[1] > 1 and expected.shape in (
            (result.shape[0], 1), (result.shape[0],)):
        return hint("broadcast")
    if result.ndim == 1 and expected.ndim == 1 and result.size == expected.size - 1:
        if _matches(result, expected[1:]):
            return hint("shifted_earlier")
        if _matches(result, expected[:-1]):
            return hint("shifted_later")
    return None


def explain(result: np.ndarray, expected: np.ndarray, *, batch: int | None = None,
            variants: Variants = (), rtol: float = 1e-7, atol: float = 1e-10) -> Hint | None:
    """The most specific hint for how ``result`` differs from ``expected``, if any.

    ``variants`` are values the test computed for slips it can imagine without naming a
    catalogued mistake (``("updated_first", value)``); ``batch`` is the batch size N,
    so a factor of N is recognised.
    """
    for hint_id, value in variants:
        if _matches(result, value):
            return hint(hint_id, batch=batch)
    if result.shape != expected.shape:
        return _shape_hint(result, expected, batch)
    if not np.all(np.isfinite(result)):
        return hint("not_finite")
    flat_e, flat_r = expected.ravel(), result.ravel()
    if not flat_r.any() and flat_e.any():
        return hint("zeros")
    relative = relative_error(result, expected)
    if relative < 1e-4:
        return hint("tiny", relative=f"{relative:.1e}")
    if result.ndim == 1 and result.size > 2:
        if _matches(result[:-1], expected[1:]):
            return hint("shifted_later")
        if _matches(result[1:], expected[:-1]):
            return hint("shifted_earlier")
    scale = float(np.dot(flat_e, flat_e))
    if scale > 0:
        ratio = float(np.dot(flat_r, flat_e)) / scale
        if abs(ratio) > 1e-12 and abs(ratio - 1.0) > 1e-3 and _matches(
                result, ratio * expected, rtol=max(rtol, 1e-6), atol=max(atol, 1e-9)):
            return _factor_hint(ratio, batch)
    offset = flat_r - flat_e
    if flat_r.size > 1 and np.ptp(offset) <= 1e-9 * max(1.0, float(np.max(np.abs(flat_e)))):
        return Hint("offset", *HINTS["offset"], detail_ja=f"ずれ {_nice(float(offset[0]))}",
                    detail_en=f"offset {_nice(float(offset[0]))}")
    return _localised(result, expected, rtol, atol)


# ----------------------------------------------------------------------------- helpers


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _pair(expected: float, actual: float) -> tuple[str, str]:
    """Both numbers with enough significant digits that they read differently."""
    for digits in range(6, 18):
        shown_e, shown_a = f"{expected:.{digits}g}", f"{actual:.{digits}g}"
        if shown_e != shown_a:
            return shown_e, shown_a
    return repr(expected), repr(actual)


def describe_type(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"ndarray(shape={value.shape}, dtype={value.dtype})"
    if type(value).__name__ == "RemoteObject":  # grading: the student's object, by its name
        try:
            return str(object.__getattribute__(value, "_type"))
        except AttributeError:
            pass
    return type(value).__name__


def as_array(value: Any, what: Label) -> np.ndarray:
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
        f"{_in(what, 'ja')} は数値の配列 (numpy.ndarray) を返す必要がありますが、"
        f"{describe_type(value)} が返されました。",
        f"{_in(what, 'en')} must return a numeric array (numpy.ndarray), but returned "
        f"{describe_type(value)}.")


def as_number(value: Any, what: Label) -> float:
    """The value as a Python float (0-d and 1-element arrays accepted)."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "biuf":
        return float(value.reshape(()))
    raise CheckFailure(
        f"{_in(what, 'ja')} は数値 (float) を返す必要がありますが、{describe_type(value)} "
        f"が返されました。",
        f"{_in(what, 'en')} must return a number (float), but returned "
        f"{describe_type(value)}.")


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


def _fail(ja: str, en: str, found: list[Mistake], details: str = "", *,
          found_hint: Hint | None = None, values_ja: str = "",
          values_en: str = "") -> CheckFailure:
    """The failure, naming known mistakes, else the recognised kind of difference."""
    if found:
        ja += "\nよくある間違い: " + " / ".join(m.ja for m in found)
        en += "\nLikely mistake: " + " / ".join(m.en for m in found)
    elif found_hint is not None:
        ja += "\nヒント: " + found_hint.ja
        en += "\nHint: " + found_hint.en
        if found_hint.detail_en:
            values_ja = f"{values_ja} ({found_hint.detail_ja})" if values_ja else \
                found_hint.detail_ja
            values_en = f"{values_en} ({found_hint.detail_en})" if values_en else \
                found_hint.detail_en
    return CheckFailure(ja, en, details, [m.id for m in found],
                        hints=[found_hint.id] if found_hint and not found else [],
                        values_ja=values_ja, values_en=values_en)


# ----------------------------------------------------------------------------- checks


def _values(expected: float, actual: float, index: tuple | None = None) -> tuple[str, str]:
    shown_e, shown_a = _pair(expected, actual)
    at_ja = f"位置 {index}: " if index is not None else ""
    at_en = f"at index {index}: " if index is not None else ""
    return (f"{at_ja}期待 {shown_e}、実際 {shown_a}",
            f"{at_en}expected {shown_e}, got {shown_a}")


def expect_array(actual: Any, expected: Any, what: Label, *, rtol: float = 1e-7,
                 atol: float = 1e-10, mistakes: Candidates = (), variants: Variants = (),
                 batch: int | None = None) -> np.ndarray:
    """Check an array result: type, exact shape, finite values, then closeness.

    ``mistakes`` pairs known mistakes with the value each would produce; a result
    matching one of them is named in the message. Otherwise the kind of difference is
    recognised (:func:`explain`, with ``variants`` and the batch size ``batch``).
    Returns the result as an array.
    """
    candidates = list(mistakes)
    variants = list(variants)
    result = as_array(actual, what)
    expected = np.asarray(expected, dtype=np.float64)
    ja, en = _in(what, "ja"), _in(what, "en")
    if result.shape != expected.shape:
        found = _matching(result, candidates, rtol, atol)
        raise _fail(
            f"{ja} の形 (shape) が違います: 期待 {expected.shape}、実際 {result.shape}。",
            f"{en} has the wrong shape: expected {expected.shape}, got {result.shape}.",
            found, found_hint=explain(result, expected, batch=batch, variants=variants,
                                      rtol=rtol, atol=atol))
    bad = ~np.isfinite(result)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise _fail(
            f"{ja} に NaN または inf が含まれています (位置 {index})。"
            f"発散していないか、0 で割っていないか確認してください。",
            f"{en} contains NaN or inf (at index {index}). "
            f"Check for divergence or division by zero.",
            _matching(result, candidates, rtol, atol))
    if np.allclose(result, expected, rtol=rtol, atol=atol):
        return result
    error = np.abs(result - expected)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
    relative = relative_error(result, expected)
    found = _matching(result, candidates, rtol, atol)
    values_ja, values_en = _values(float(expected[index]), float(result[index]), index)
    raise _fail(
        f"{ja} の値が期待と違います。相対誤差 {relative:.3g}、最大の差は位置 {index} "
        f"(許容: rtol={rtol:g}, atol={atol:g})。",
        f"{en} differs from the expected values: relative error {relative:.3g}, largest "
        f"difference at index {index} (tolerance rtol={rtol:g}, atol={atol:g}).", found,
        found_hint=explain(result, expected, batch=batch, variants=variants, rtol=rtol,
                           atol=atol),
        values_ja=values_ja, values_en=values_en)


def expect_number(actual: Any, expected: float, what: Label, *, rtol: float = 1e-7,
                  atol: float = 1e-10, mistakes: Candidates = (), variants: Variants = (),
                  batch: int | None = None) -> float:
    """Check a scalar result (a float, or a 0-d / one-element array)."""
    candidates = list(mistakes)
    value = as_number(actual, what)
    ja, en = _in(what, "ja"), _in(what, "en")
    if not math.isfinite(value):
        raise _fail(f"{ja} が有限の値ではありません ({value})。",
                    f"{en} is not finite ({value}).", [], found_hint=hint("not_finite"))
    if math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        return value
    found = _matching(np.asarray(value), [(m, np.asarray(v, dtype=float)) for m, v in candidates],
                      rtol, atol)
    relative = abs(value - expected) / max(abs(expected), abs(value), 1e-300)
    values_ja, values_en = _values(float(expected), value)
    found_hint = explain(np.asarray([value]), np.asarray([float(expected)]), batch=batch,
                         variants=[(h, np.asarray([v], dtype=float).reshape(1))
                                   for h, v in variants], rtol=rtol, atol=atol)
    raise _fail(
        f"{ja} の値が違います (相対誤差 {relative:.3g}、許容: rtol={rtol:g}, atol={atol:g})。",
        f"{en} is wrong (relative error {relative:.3g}; tolerance rtol={rtol:g}, "
        f"atol={atol:g}).", found, found_hint=found_hint,
        values_ja=values_ja, values_en=values_en)


def expect_length(actual: Any, length: int, what: Label) -> None:
    ja, en = _in(what, "ja"), _in(what, "en")
    try:
        got = len(actual)
    except TypeError:
        raise CheckFailure(f"{ja} は長さのある値 (list や ndarray) である必要があります。"
                           f"実際: {describe_type(actual)}",
                           f"{en} must be a sequence (list or ndarray); got "
                           f"{describe_type(actual)}.") from None
    if got != length:
        raise CheckFailure(f"{ja} の長さが違います: 期待 {length}、実際 {got}。",
                           f"{en} has the wrong length: expected {length}, got {got}.")


def expect_tuple(actual: Any, length: int, what: Label) -> tuple:
    """A function documented to return ``(a, b, ...)`` returned that many values."""
    ja, en = _in(what, "ja"), _in(what, "en")
    if not isinstance(actual, (tuple, list)) or len(actual) != length:
        raise CheckFailure(
            f"{ja} は {length} 個の値のタプルを返す必要があります。実際: {describe_type(actual)}"
            + (f" (長さ {len(actual)})" if isinstance(actual, (tuple, list)) else ""),
            f"{en} must return a tuple of {length} values; got {describe_type(actual)}"
            + (f" of length {len(actual)}" if isinstance(actual, (tuple, list)) else "") + ".")
    return tuple(actual)


def expect(condition: bool, ja: str, en: str, mistake: Mistake | None = None, *,
           hint_id: str | None = None) -> None:
    """A free-form check with a message in both languages (and a mistake or hint)."""
    if not condition:
        raise _fail(ja, en, [mistake] if mistake else [],
                    found_hint=hint(hint_id) if hint_id else None)


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
    "MeanSquaredError": ("MeanSquaredError", "MeanSquaredErrorLayer", "MSE", "MSELoss",
                         "SquaredError", "SumSquaredError", "SumOfSquaresError"),
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


def backward_dx(result: Any, what: Label, *, artifacts: Any = None) -> Any:
    """dx from a ``backward`` that returns dx alone or a tuple whose first element is dx.

    backward が dx だけを返しても、dx を先頭にしたタプルを返しても受け付けます。
    """
    if not isinstance(result, tuple):  # a list may be dx itself (rows): only tuples unpack
        return result
    ja, en = _in(what, "ja"), _in(what, "en")
    if len(result) == 0:
        raise CheckFailure(f"{ja} が空のタプルを返しました。dx を返してください。",
                           f"{en} returned an empty tuple; return dx.")
    if len(result) > 1:
        _note(artifacts, "backward", "tuple",
              f"{ja} は dx を先頭にしたタプルを返しています (許容しています)。",
              f"{en} returns a tuple whose first element is dx (accepted).")
    return result[0]


def find_attribute(obj: Any, names: Iterable[str], what: Label, *,
                   artifacts: Any = None) -> tuple[Any, str]:
    """The first attribute of ``obj`` among ``names`` that exists and is not None.

    Used for gradients a layer stores (``dW`` or ``grad_W`` ...). Returns
    ``(value, name_used)``; notes a name other than the first when ``artifacts`` is given.
    """
    names = list(names)
    ja, en = _in(what, "ja"), _in(what, "en")
    for name in names:
        try:
            value = getattr(obj, name)
        except AttributeError:
            continue
        if value is None:
            continue
        if name != names[0]:
            _note(artifacts, "attribute", name,
                  f"{ja} を属性 {name} から読みました ({names[0]} の代わり、許容しています)。",
                  f"Read {en} from the attribute {name} instead of {names[0]} (accepted).")
        return value, name
    raise CheckFailure(
        f"{ja} が見つかりません。backward の中で self.{names[0]} に保存してください"
        f" (探した名前: {', '.join(names)})。",
        f"{en} was not found. Store it as self.{names[0]} in backward "
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


# ----------------------------------------------------------------------------- arguments


def _changed(before: Any, after: Any) -> bool:
    if not isinstance(before, np.ndarray):
        return False
    return not (isinstance(after, np.ndarray) and before.shape == after.shape
                and np.array_equal(before, after, equal_nan=True))


def call_keeping_arguments(function: Any, *args: Any, what: Label, **kwargs: Any) -> Any:
    """Call ``function`` and fail if it changed any array it was given (in place).

    On a laptop the arguments are compared with copies taken before the call. In grading
    the arrays are copied into the sandbox, so the worker compares them there and
    reports which ones changed; either way the same failure results.
    引数の配列を書き換える (in-place) 実装を検出します。
    """
    remote = getattr(type(function), "call_reporting_changes", None)
    if remote is not None:
        result, changed = remote(function, *args, **kwargs)
    else:
        before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
        before_kw = {k: np.array(v, copy=True) for k, v in kwargs.items()
                     if isinstance(v, np.ndarray)}
        result = function(*args, **kwargs)
        changed = [i for i, (old, new) in enumerate(zip(before, args))
                   if old is not None and _changed(old, new)]
        changed += [k for k, old in before_kw.items() if _changed(old, kwargs[k])]
    if changed:
        which = ", ".join(f"#{c + 1}" if isinstance(c, int) else str(c) for c in changed)
        raise _fail(f"{_in(what, 'ja')} が引数 ({which}) の配列を書き換えました。",
                    f"{_in(what, 'en')} changed the array it was given (argument {which}).",
                    [], found_hint=hint("input_changed"))
    return result


def stopped(run: Any, name: str) -> BaseException | None:
    """The error a script run (``run(name)``) stopped with, None when it ran through.

    An exception, also "not implemented yet", is returned so that the test can try again
    with stand-ins; failed checks, time-outs and crashes propagate (they are worth no
    second run).
    """
    try:
        run(name)
    except CheckFailure:
        raise
    except Exception as error:  # noqa: BLE001 - the student's exception, examined here
        if isinstance(error, NotImplementedError) or \
                getattr(error, "status", "failed") in ("failed", "not_implemented"):
            return error
        raise
    return None


@contextlib.contextmanager
def replaced(module: Any, **parts: Any) -> Iterator[None]:
    """Replace names in ``module`` while the ``with`` block runs, then put them back.

    Tests run a student's script with some of its functions replaced (by the reference's,
    or by a stand-in that records its arguments). In grading the module lives in the
    sandbox and the swap is one round trip each way. A restore that fails (the student's
    code ended the worker meanwhile, which then starts with fresh modules) is harmless.
    モジュールの名前を一時的に置き換えます。
    """
    swap = getattr(type(module), "swap_attributes", None)
    if swap is None:
        def swap(target: Any, values: dict[str, Any]) -> dict[str, Any]:
            before = {name: getattr(target, name, None) for name in values}
            for name, value in values.items():
                setattr(target, name, value)
            return before
    saved = swap(module, parts)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            swap(module, saved)


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


def expect_relative(actual: Any, expected: Any, what: Label, *, max_error: float = 1e-7,
                    mistakes: Candidates = (), variants: Variants = (),
                    batch: int | None = None) -> np.ndarray:
    """Check an array by relative error: type, exact shape, finite values, then
    ``relative_error(actual, expected) <= max_error``.

    Meant for gradients (analytic against numerical, or against the reference), where
    an element-wise tolerance is too strict for values near zero. Known mistakes in
    ``mistakes`` are matched by relative error as well; otherwise the kind of difference
    is recognised (a factor of N with ``batch``, a sign, a transpose...).
    """
    candidates = list(mistakes)
    result = as_array(actual, what)
    expected = np.asarray(expected, dtype=np.float64)
    bound = max(max_error, 1e-6)
    ja, en = _in(what, "ja"), _in(what, "en")

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

    def recognised() -> Hint | None:
        for hint_id, candidate in variants:
            value = np.asarray(candidate, dtype=np.float64)
            if value.shape == result.shape and np.all(np.isfinite(result)) and \
                    relative_error(result, value) <= bound:
                return hint(hint_id, batch=batch)
        return explain(result, expected, batch=batch, rtol=max(max_error, 1e-6),
                       atol=1e-9)

    if result.shape != expected.shape:
        raise _fail(
            f"{ja} の形 (shape) が違います: 期待 {expected.shape}、実際 {result.shape}。",
            f"{en} has the wrong shape: expected {expected.shape}, got {result.shape}.",
            matching(), found_hint=recognised())
    bad = ~np.isfinite(result)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise _fail(
            f"{ja} に NaN または inf が含まれています (位置 {index})。",
            f"{en} contains NaN or inf (at index {index}).", [],
            found_hint=hint("not_finite"))
    error = relative_error(result, expected)
    if error <= max_error:
        return result
    values_ja = values_en = ""
    difference = np.abs(result - expected)
    index: tuple = ()
    if difference.size:
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(difference)),
                                                       difference.shape))
        values_ja, values_en = _values(float(expected[index]), float(result[index]), index)
    raise _fail(
        f"{ja} の相対誤差 {error:.3g} が許容値 {max_error:g} を超えています"
        + (f" (最大の差は位置 {index})" if index else "") + "。",
        f"{en} has relative error {error:.3g}, above the tolerance {max_error:g}"
        + (f" (largest difference at index {index})" if index else "") + ".",
        matching(), found_hint=recognised(), values_ja=values_ja, values_en=values_en)


def expect_gradients(analytic: dict[str, Any], numerical: dict[str, Any], what: Label, *,
                     max_error: float = 1e-6, batch: int | None = None,
                     mistakes: dict[str, Candidates] | None = None) -> None:
    """Several parameter gradients against the numerical gradient of the student's own
    forward (and loss): self-consistency first.

    When some blocks agree and others do not, the message says which (the mistake is in
    the back-propagation into those); a block off by a constant factor (N, 2, -1) says so.
    自分の forward の数値微分と、backward の勾配を比べます。
    """
    mistakes = mistakes or {}
    good, bad = [], []
    for name, value in analytic.items():
        result = as_array(value, f"{_in(what, 'en')} [{name}]")
        expected = np.asarray(numerical[name], dtype=np.float64)
        ok = result.shape == expected.shape and bool(np.all(np.isfinite(result))) and \
            relative_error(result, expected) <= max_error
        (good if ok else bad).append(name)
    if not bad:
        return
    first = bad[0]
    block_hint = hint("backward_block", good=", ".join(good), bad=", ".join(bad)) \
        if good else None
    try:
        expect_relative(analytic[first], numerical[first],
                        label(f"{_in(what, 'ja')} の {first}", f"{_in(what, 'en')}: {first}"),
                        max_error=max_error, batch=batch, mistakes=mistakes.get(first, ()))
    except CheckFailure as failure:
        if block_hint is not None and not failure.diagnoses and not failure.hints:
            raise CheckFailure(
                failure.bilingual["ja"] + "\nヒント: " + block_hint.ja,
                failure.bilingual["en"] + "\nHint: " + block_hint.en, failure.details,
                hints=[block_hint.id], values_ja=failure.values["ja"],
                values_en=failure.values["en"]) from None
        raise


# ----------------------------------------------------------------------------- figures


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, or None when ``data`` is not one."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _png_pixels(data: bytes) -> bytes:
    """The PNG's decompressed image data (filter bytes included), or b"" if unreadable."""
    import zlib

    chunks, position = [], 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        if kind == b"IDAT":
            chunks.append(data[position + 8:position + 8 + length])
        position += 12 + length
    try:
        return zlib.decompress(b"".join(chunks))
    except zlib.error:
        return b""


def expect_png(data: Any, what: Label, *, min_width: int = 300,
               min_height: int = 200) -> tuple[int, int]:
    """A figure the student's script saved is a real PNG of a sensible size with something
    drawn on it (not one flat colour). Returns (width, height).
    図が PNG で、十分な大きさがあり、何かが描かれていることを確かめます。
    """
    ja, en = _in(what, "ja"), _in(what, "en")
    if data is None:
        raise CheckFailure(f"{ja} が outputs/ に保存されていません。plt.savefig でファイルに"
                           "保存してください。",
                           f"{en} was not saved under outputs/. Save it with plt.savefig.")
    size = png_size(bytes(data)) if isinstance(data, (bytes, bytearray)) else None
    if size is None:
        raise CheckFailure(f"{ja} が PNG 画像ではありません。", f"{en} is not a PNG image.")
    width, height = size
    expect(width >= min_width and height >= min_height,
           f"{ja} が小さすぎます ({width}×{height} ピクセル、{min_width}×{min_height} 以上に"
           "してください)。",
           f"{en} is too small ({width}×{height} pixels; make it at least "
           f"{min_width}×{min_height}).")
    pixels = _png_pixels(bytes(data))
    sample = pixels[::max(1, len(pixels) // 20000)]
    expect(len(set(sample)) > 8,
           f"{ja} に何も描かれていないようです (ほぼ一色です)。",
           f"{en} seems empty (nearly one colour).")
    return width, height
