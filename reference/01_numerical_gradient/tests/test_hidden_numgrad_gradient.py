"""Hidden tests: scripts/gradient.py (numerical differentiation, gradient, gradient descent).

The standard functions handed to the student's code (``studentops``: function_1,
function_2, cube, coupled) run in the student's worker when grading; a :class:`Recorder`
belongs to the test and is called back, one round trip per call, so its arrays stay
small. It keeps every x it is called with; that is how "x is restored" is checked
without looking inside the student's process. Expected values come from the
reference solution, with explicit tolerances; known mistakes are computed here and
named when the student's result matches one.

gradient_descent is checked against the reference and, when that fails, against the
trajectory the student's *own* numerical_gradient produces (replayed step by step): a
correct descent loop earns its points even when numerical_gradient is wrong.
"""

import numpy as np
import pytest

from checks import Mistake, as_array, expect, expect_array, expect_number, expect_tuple
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


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


# ----------------------------------------------------------------------------- known mistakes


def _gradient_by(f, x, difference, restore=True):
    """numerical_gradient written with another difference quotient (or without restoring)."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        grad[index] = difference(f, x, index, original)
        if restore:
            x[index] = original
    return grad, x


def _central(f, x, index, original, h=H):
    x[index] = original + h
    plus = f(x)
    x[index] = original - h
    return (plus - f(x)) / (2 * h)


def _central_minus_first(f, x, index, original, h=H):
    x[index] = original - h
    minus = f(x)
    x[index] = original + h
    return (f(x) - minus) / (2 * h)


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
    not_restored = [_gradient_by(f, x, rule, restore=False)[0]
                    for rule in (_central, _central_minus_first)]
    candidates = [(_mistake(mistakes, "forward_difference"), _gradient_by(f, x, _forward)[0]),
                  (_mistake(mistakes, "tiny_h"), np.zeros_like(x, dtype=float)),
                  (_mistake(mistakes, "precedence_2h"), _gradient_by(f, x, _precedence)[0])]
    candidates += [(_mistake(mistakes, "ng_not_restored"), value) for value in not_restored]
    if x.ndim == 2:  # the book's batch version: the gradient of f(x[i]) for each row
        rows = np.array([_gradient_by(f, row, _central)[0] for row in x])
        candidates.append((_mistake(mistakes, "ng_rows_separately"), rows))
    return candidates


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
                      f"numerical_diff(f, {x}) for f(x) = {name} (default h)", rtol=1e-7,
                      mistakes=known)


# ----------------------------------------------------------------------------- numerical_gradient


def test_numerical_gradient(student, reference, mistakes):
    """A 1-D x, with a function whose partial derivatives depend on every element."""
    gr, ref = student("gradient"), reference("gradient")
    x = np.array([1.5, -0.5, 2.0, 0.3, -1.2])
    expected = ref.numerical_gradient(coupled, x.copy())
    result = gr.numerical_gradient(Recorder(coupled), x.copy())
    expect_array(result, expected, "numerical_gradient(f, x) (1-D x, 5 elements)", rtol=1e-7,
                 mistakes=_gradient_candidates(mistakes, coupled, x))


@pytest.mark.parametrize("shape", [(2, 3), (2, 2, 3)], ids=["2d", "3d"])
def test_numerical_gradient_any_ndim(student, reference, mistakes, shape):
    gr, ref = student("gradient"), reference("gradient")
    x = np.round(np.random.default_rng(11).uniform(-2, 2, shape), 2)
    expected = ref.numerical_gradient(coupled, x.copy())
    recorder = Recorder(coupled)
    result = gr.numerical_gradient(recorder, x.copy())
    candidates = _gradient_candidates(mistakes, coupled, x)
    wrong_shapes = sorted({call.shape for call in recorder.calls if call.shape != x.shape})
    if wrong_shapes:
        rows = wrong_shapes == [x.shape[1:]]
        expect(False,
               f"f が x 全体 {x.shape} ではなく形 {wrong_shapes[0]} の配列で呼ばれました。"
               "f には毎回 x 全体を渡し、1 要素ずつ動かしてください。",
               f"f was called with an array of shape {wrong_shapes[0]} instead of the whole x "
               f"{x.shape}. Pass the whole x to f and change one element at a time.",
               _mistake(mistakes, "ng_rows_separately") if rows else None)
    expect_array(result, expected, f"numerical_gradient(f, x) (x of shape {x.shape})",
                 rtol=1e-7, mistakes=candidates)


def test_numerical_gradient_restores_x(student, mistakes):
    """Every call of f sees x with at most one element changed, and x is unchanged after."""
    gr = student("gradient")
    x = np.array([0.5, -1.0, 2.0, 1.5])
    recorder = Recorder(coupled)
    given = x.copy()
    gr.numerical_gradient(recorder, given)
    expect(len(recorder.calls) > 0, "numerical_gradient が f を一度も呼んでいません。",
           "numerical_gradient never called f.")
    for number, seen in enumerate(recorder.calls, start=1):
        expect(seen.shape == x.shape,
               f"{number} 回目の f の呼び出しで、x の形が {seen.shape} でした (期待 {x.shape})。",
               f"Call {number} of f received an array of shape {seen.shape} "
               f"(expected {x.shape}).")
        changed = np.flatnonzero(~np.isclose(seen, x, rtol=0.0, atol=1e-9))
        expect(len(changed) <= 1,
               f"{number} 回目の f の呼び出しで、x の {len(changed)} 個の要素 "
               f"(位置 {changed.tolist()}) が元の値と違っていました: {seen.tolist()} "
               f"(元の x: {x.tolist()})。前に動かした要素を戻していません。",
               f"Call {number} of f received x with {len(changed)} elements changed "
               f"(at {changed.tolist()}): {seen.tolist()} (original x: {x.tolist()}). "
               "An element changed earlier was not put back.",
               _mistake(mistakes, "ng_not_restored"))
    # On a laptop `given` is the student's own array; in grading it is a copy and the
    # calls above are the evidence.
    expect_array(given, x, "x after numerical_gradient(f, x) (must be restored)", rtol=0,
                 atol=1e-12, mistakes=[(_mistake(mistakes, "ng_not_restored"), x - H),
                                       (_mistake(mistakes, "ng_not_restored"), x + H)])


# ----------------------------------------------------------------------------- gradient_descent


def _descent(f, init, lr, steps, gradient):
    """x and the history before each update, with the given gradient function."""
    x = np.array(init, dtype=float)
    history = []
    for _ in range(steps):
        history.append(x.copy())
        grad = np.asarray(gradient(f, x), dtype=float)  # may change x (not restored)
        x = x - lr * grad
    return x, np.array(history)


def _not_restored_gradient(f, x):
    grad, shifted = _gradient_by(f, x, _central, restore=False)
    x[...] = shifted
    return grad


def _close(value, expected, rtol=1e-7, atol=1e-10):
    value = np.asarray(value, dtype=float)
    return value.shape == np.shape(expected) and bool(
        np.all(np.isfinite(value)) and np.allclose(value, expected, rtol=rtol, atol=atol))


def _check_descent(gr, ref, mistakes, artifacts, init, lr, steps, call):
    """Check (x, x_history) from the student's gradient_descent; call() runs it."""
    f = function_2
    x_ref, history_ref = ref.gradient_descent(f, init.copy(), lr=lr, step_num=steps)
    x, history = expect_tuple(call(), 2, "gradient_descent(...)")
    x = as_array(x, "gradient_descent(...)[0] (x)")
    history = as_array(history, "gradient_descent(...)[1] (x_history)")
    target = (x_ref, history_ref)
    if not _close(x, x_ref):
        # The loop may be right with the student's own numerical_gradient: replay it.
        own = _descent(f, init, lr, steps,
                       lambda f_, x_: gr.numerical_gradient(f_, x_.copy()))
        if _close(x, own[0]):
            target = own
            artifacts.note("numerical_gradient", "own_numerical_gradient", {
                "ja": "最急降下法はあなたの numerical_gradient で計算した軌跡と一致しました "
                      "(numerical_gradient 自体の誤りは別のテストで採点しています)。",
                "en": "gradient descent matches the trajectory of your own numerical_gradient "
                      "(numerical_gradient itself is graded by its own tests)."})
    x_target, history_target = target
    not_restored = _descent(f, init, lr, steps, _not_restored_gradient)
    expect_array(x, x_target, f"gradient_descent(f, init_x, lr={lr}, step_num={steps})[0] "
                              "(final x)", rtol=1e-7,
                 mistakes=[(_mistake(mistakes, "ng_not_restored"), not_restored[0])])
    if history.shape[:1] == (steps + 1,):
        with_final = np.concatenate([history_target, x_target[None]])
        if _close(history, with_final):
            artifacts.note("x_history", "with_final_x", {
                "ja": "x_history に最後の x も含まれています (step_num + 1 個、許容しています)。",
                "en": "x_history also holds the final x (step_num + 1 entries; accepted)."})
            return
    after = np.concatenate([history_target[1:], x_target[None]])
    aliased = np.repeat(x_target[None], steps, axis=0)
    expect_array(history, history_target,
                 f"gradient_descent(...)[1] (x_history: the x before each of the {steps} "
                 "updates)", rtol=1e-7,
                 mistakes=[(_mistake(mistakes, "gd_history_after_update"), after),
                           (_mistake(mistakes, "gd_history_no_copy"), aliased),
                           (_mistake(mistakes, "ng_not_restored"), not_restored[1])])


def _values(history):
    """f(x) for each x of a history, for the report (empty when it is not numbers)."""
    try:
        array = np.asarray(history, dtype=float)
        return [function_2(x) for x in array] if array.ndim == 2 else []
    except (TypeError, ValueError):
        return []


def test_gradient_descent(student, reference, mistakes, artifacts):
    gr, ref = student("gradient"), reference("gradient")
    init = np.array([-3.0, 4.0])
    result = gr.gradient_descent(function_2, init.copy(), lr=0.1, step_num=20)
    _, history_ref = ref.gradient_descent(function_2, init.copy(), lr=0.1, step_num=20)
    student_history = result[1] if isinstance(result, (tuple, list)) and len(result) == 2 \
        else []
    artifacts.curve("gradient_descent", {"student": _values(student_history),
                                         "reference": _values(history_ref)},
                    title={"ja": "最急降下法: 各ステップの f(x)",
                           "en": "Gradient descent: f(x) at each step"},
                    xlabel="step", ylabel="f(x) = x0² + x1²")
    _check_descent(gr, ref, mistakes, artifacts, init, 0.1, 20, lambda: result)


def test_gradient_descent_defaults(student, reference, mistakes, artifacts):
    """lr=0.01 and step_num=100 when they are not given."""
    gr, ref = student("gradient"), reference("gradient")
    init = np.array([1.0, -2.0])
    _check_descent(gr, ref, mistakes, artifacts, init, 0.01, 100,
                   lambda: gr.gradient_descent(function_2, init.copy()))
