"""Hidden tests: scripts/gradient.py (numerical differentiation, gradient, gradient descent).

One test per unit and property, so that one mistake costs once:

* ``test_numerical_diff``: the central difference of 002 「数値微分と解析的微分」.
* ``test_numerical_gradient``: the values for x of 1, 2 and 3 dimensions, with a
  *separable* f (each partial derivative depends on its own element only), so that an
  element left shifted (not restored) does not change the values: that mistake is
  judged by the next test alone. f must receive the whole x (named when it gets rows).
* ``test_numerical_gradient_restores_x``: every call of f sees x with at most one element
  changed, and x is unchanged on return (``call_keeping_arguments``).
* ``test_gradient_descent``: gradient descent *alone*: the student's numerical_gradient
  is replaced, for this test, by the reference's (the student's gradient_descent looks
  it up in its module), so a wrong numerical_gradient does not cost here again.

A :class:`Recorder` belongs to the test and is called back (one round trip per call);
it keeps every x it is called with. The messages never show the hidden inputs: shapes,
call numbers and which property failed; the numbers go to ``values`` (instructor only).
"""

import numpy as np

from checks import (CheckFailure, Hint, Mistake, as_array, call_keeping_arguments, expect,
                    expect_array, expect_number, expect_tuple, label, replaced)
# Standard test functions: in grading they run in the student's worker (no round trips).
from studentops import coupled, cube, function_1, function_2

H = 1e-4


class Recorder:
    """A function for the student's code that records every argument it receives."""

    def __init__(self, function):
        self.function = function
        self.calls = []

    def __call__(self, x):
        x = np.array(x, dtype=float)  # a copy: on a laptop x is the student's own array
        self.calls.append(x)
        return self.function(x)


def separable(x):
    """f(x) = Σ (x^3 / 3 + x^2 / 2), any shape: ∂f/∂x_i = x_i^2 + x_i (its own element)."""
    x = np.asarray(x, dtype=float)
    return float(np.sum(x ** 3 / 3.0 + x ** 2 / 2.0))


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


# ----------------------------------------------------------------------------- known mistakes


def _gradient_by(f, x, difference):
    """numerical_gradient written with another difference quotient."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        grad[index] = difference(f, x, index, original)
        x[index] = original
    return grad


def _forward(f, x, index, original, h=H):
    x[index] = original + h
    plus = f(x)
    x[index] = original
    return (plus - f(x)) / h


def _precedence(f, x, index, original, h=H):
    x[index] = original + h
    plus = f(x)
    x[index] = original - h
    return (plus - f(x)) / 2 * h


def _gradient_candidates(mistakes, f, x):
    """(Mistake, value) pairs for numerical_gradient(f, x)."""
    return [(_mistake(mistakes, "forward_difference"), _gradient_by(f, x, _forward)),
            (_mistake(mistakes, "tiny_h"), np.zeros_like(x, dtype=float)),
            (_mistake(mistakes, "precedence_2h"), _gradient_by(f, x, _precedence))]


# ----------------------------------------------------------------------------- numerical_diff


def test_numerical_diff(student, reference, mistakes):
    gr, ref = student("gradient"), reference("gradient")
    cases = ((cube, "x^3", 2.0), (function_1, "0.01 x^2 + 0.1 x", 5.0),
             (function_1, "0.01 x^2 + 0.1 x", 10.0))
    for f, name, x in cases:
        expected = ref.numerical_diff(f, x)
        known = [(_mistake(mistakes, "forward_difference"), (f(x + H) - f(x)) / H),
                 (_mistake(mistakes, "tiny_h"), (f(x + 1e-50) - f(x - 1e-50)) / 2e-50),
                 (_mistake(mistakes, "precedence_2h"), (f(x + H) - f(x - H)) / 2 * H)]
        expect_number(gr.numerical_diff(f, x), expected,
                      label(f"numerical_diff(f, x) (f(x) = {name}、既定の h)",
                            f"numerical_diff(f, x) (f(x) = {name}, default h)"),
                      rtol=1e-7, mistakes=known)


# ----------------------------------------------------------------------------- numerical_gradient


def _points():
    """A 1-D, a 2-D (non-square) and a 3-D x."""
    rng = np.random.default_rng(11)
    yield np.array([1.5, -0.5, 2.0, 0.3, -1.2])
    yield np.round(rng.uniform(-2, 2, (2, 3)), 2)
    yield np.round(rng.uniform(-2, 2, (2, 2, 3)), 2)


def test_numerical_gradient(student, reference, mistakes):
    """Values for a 1-D, a 2-D (non-square) and a 3-D x; f receives the whole x."""
    gr, ref = student("gradient"), reference("gradient")
    for x in _points():
        what = label(f"numerical_gradient(f, x) (x の形 {x.shape})",
                     f"numerical_gradient(f, x) (x of shape {x.shape})")
        recorder = Recorder(separable)
        result = gr.numerical_gradient(recorder, x.copy())
        wrong = sorted({call.shape for call in recorder.calls if call.shape != x.shape})
        if wrong:
            rows = x.ndim > 1 and wrong == [x.shape[1:]]
            expect(False,
                   f"{what['ja']}: f が x 全体 {x.shape} ではなく形 {wrong[0]} の配列で呼ばれ"
                   "ました。f には毎回 x 全体を渡し、1 要素ずつ動かしてください。",
                   f"{what['en']}: f was called with an array of shape {wrong[0]} instead "
                   f"of the whole x {x.shape}. Pass the whole x to f and change one element "
                   "at a time.",
                   _mistake(mistakes, "ng_rows_separately") if rows else None)
        expect_array(result, ref.numerical_gradient(separable, x.copy()), what, rtol=1e-7,
                     mistakes=_gradient_candidates(mistakes, separable, x))


def test_numerical_gradient_restores_x(student, mistakes):
    """Every call of f sees x with at most one element changed, and x is unchanged after."""
    gr = student("gradient")
    x = np.array([0.5, -1.0, 2.0, 1.5])
    recorder = Recorder(coupled)
    what = label("numerical_gradient(f, x) (1 次元の x)", "numerical_gradient(f, x) (1-D x)")
    changed = None
    try:
        call_keeping_arguments(gr.numerical_gradient, recorder, x.copy(), what=what)
    except CheckFailure as failure:
        if "input_changed" not in failure.hints:
            raise
        changed = failure
    expect(len(recorder.calls) > 0, "numerical_gradient が f を一度も呼んでいません。",
           "numerical_gradient never called f.")
    for number, seen in enumerate(recorder.calls, start=1):
        if seen.shape != x.shape:
            continue  # the shape f receives is judged by test_numerical_gradient
        moved = np.flatnonzero(~np.isclose(seen, x, rtol=0.0, atol=1e-9))
        expect(len(moved) <= 1,
               f"{number} 回目の f の呼び出しで、x の {len(moved)} 個の要素が元の値と違って"
               "いました。前に動かした要素を元に戻していません。",
               f"Call {number} of f received x with {len(moved)} elements changed: an "
               "element changed earlier was not put back.",
               _mistake(mistakes, "ng_not_restored"))
    if changed is not None:
        raise changed


# ----------------------------------------------------------------------------- gradient_descent


def _extra_entry(steps):
    """x_history with step_num + 1 entries: the final x is in it too (no built-in hint)."""
    return Hint("extra_final_entry",
                f"x_history に最後の x まで入っています ({steps + 1} 個)。x_history は各更新の"
                f"前の x の {steps} 個で、最後の x は 1 つ目の戻り値として返します。",
                f"x_history also holds the final x ({steps + 1} entries). It holds the x "
                f"before each of the {steps} updates; the final x is the first value "
                "returned.")


def _check_descent(result, x_ref, history_ref, mistakes, case):
    """(x, x_history) against the reference's; ``case`` names the call in both languages."""
    steps = len(history_ref)
    x, history = expect_tuple(result, 2, label(f"gradient_descent ({case['ja']})",
                                               f"gradient_descent ({case['en']})"))
    history = as_array(history, label(f"x_history ({case['ja']})", f"x_history ({case['en']})"))
    x = as_array(x, label(f"最後の x ({case['ja']})", f"the final x ({case['en']})"))
    if history.shape == (steps + 1,) + x_ref.shape:
        extra = _extra_entry(steps)
        raise CheckFailure(
            f"x_history ({case['ja']}) の形が {history.shape} です "
            f"(期待 {history_ref.shape})。\nヒント: {extra.ja}",
            f"x_history ({case['en']}) has shape {history.shape} (expected "
            f"{history_ref.shape}).\nHint: {extra.en}", hints=[extra.id])
    after = np.concatenate([history_ref[1:], x_ref[None]])
    aliased = np.repeat(x_ref[None], steps, axis=0)
    if history.shape == history_ref.shape:
        expect_array(history[0], history_ref[0],
                     label(f"x_history[0] ({case['ja']}、= init_x)",
                           f"x_history[0] ({case['en']}, = init_x)"),
                     mistakes=[(_mistake(mistakes, "gd_history_after_update"), after[0]),
                               (_mistake(mistakes, "gd_history_no_copy"), aliased[0])])
        expect_array(history[1] - history[0], history_ref[1] - history_ref[0],
                     label(f"最初の更新 x_history[1] - x_history[0] ({case['ja']})",
                           f"the first update x_history[1] - x_history[0] ({case['en']})"))
    expect_array(history, history_ref,
                 label(f"x_history ({case['ja']}、各更新の前の x)",
                       f"x_history ({case['en']}, the x before each update)"),
                 mistakes=[(_mistake(mistakes, "gd_history_after_update"), after),
                           (_mistake(mistakes, "gd_history_no_copy"), aliased)])
    expect_array(x, x_ref, label(f"最後の x ({case['ja']})", f"the final x ({case['en']})"))


def _values(history):
    """f(x) for each x of a history, for the report (empty when it is not numbers)."""
    try:
        array = np.asarray(history, dtype=float)
        return [function_2(x) for x in array] if array.ndim >= 2 else []
    except (TypeError, ValueError):
        return []


def test_gradient_descent(student, reference, mistakes, artifacts):
    """x and x_history, with lr and step_num given and with the defaults (a 2-D init_x).

    numerical_gradient is the reference's here: only the descent loop is judged.
    """
    gr, ref = student("gradient"), reference("gradient")

    def reference_gradient(f, x, *args, **kwargs):
        return ref.numerical_gradient(function_2, np.array(x, dtype=float))

    cases = ((np.array([-3.0, 4.0]), {"lr": 0.1, "step_num": 20},
              {"ja": "lr と step_num を指定", "en": "lr and step_num given"}),
             (np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0]]), {},
              {"ja": "既定の lr と step_num、2 次元の init_x",
               "en": "default lr and step_num, a 2-D init_x"}))
    for number, (init, options, case) in enumerate(cases):
        x_ref, history_ref = ref.gradient_descent(function_2, init.copy(), **options)
        with replaced(gr, numerical_gradient=reference_gradient):
            result = gr.gradient_descent(function_2, init.copy(), **options)
        if number == 0:
            student_history = result[1] if isinstance(result, (tuple, list)) and \
                len(result) == 2 else []
            artifacts.curve("gradient_descent", {"student": _values(student_history),
                                                 "reference": _values(history_ref)},
                            title={"ja": "最急降下法: 各ステップの f(x)",
                                   "en": "Gradient descent: f(x) at each step"},
                            xlabel="step", ylabel="f(x) = x0² + x1²")
        _check_descent(result, x_ref, history_ref, mistakes, case)
