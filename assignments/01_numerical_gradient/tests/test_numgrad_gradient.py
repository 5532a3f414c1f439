"""公開テスト: scripts/gradient.py / Public tests for gradient.py.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import numpy as np

from checks import (CheckFailure, Mistake, as_array, call_keeping_arguments, expect, expect_array,
                    expect_number, expect_tuple, label, replaced)
from studentops import square_sum  # runs where the student's code runs


def known(mistakes, mistake_id, ja, en):
    """A known mistake: the course's explanation when grading, the short one here."""
    return Mistake.from_catalogue(mistakes, mistake_id) if mistake_id in mistakes \
        else Mistake(mistake_id, ja, en)


class Recorder:
    """f(x) = Σ x^2 that remembers every x it was called with."""

    def __init__(self):
        self.calls = []

    def __call__(self, x):
        x = np.array(x, dtype=float)
        self.calls.append(x)
        return square_sum(x)


def test_numerical_diff(student, mistakes):
    gr = student("gradient")
    h = 1e-4
    expect_number(
        gr.numerical_diff(lambda x: x ** 2, 3.0), 6.0,
        label("numerical_diff(f, 3.0) (f(x) = x^2、微分は 6)",
              "numerical_diff(f, 3.0) (f(x) = x^2, derivative 6)"), rtol=1e-8,
        mistakes=[(known(mistakes, "forward_difference",
                         "前進差分 (f(x+h) - f(x)) / h になっています。中心差分を使ってください。",
                         "This is the forward difference (f(x+h) - f(x)) / h: use the central "
                         "difference."), 6.0 + h),
                  (known(mistakes, "tiny_h", "h が小さすぎて 0 になっています (h = 1e-4)。",
                         "h is so small that the result is 0 (use h = 1e-4)."), 0.0),
                  (known(mistakes, "precedence_2h", "/ 2*h ではなく / (2*h) と書いてください。",
                         "Write / (2*h), not / 2*h."), 6.0 * h * h)])


def _call_numerical_gradient(gr, recorder, x, what):
    """numerical_gradient(recorder, x): (result, the failure if x was changed)."""
    try:
        return call_keeping_arguments(gr.numerical_gradient, recorder, x, what=what), None
    except CheckFailure as failure:
        if "input_changed" not in failure.hints:
            raise
        return None, failure


def test_numerical_gradient(student, mistakes):
    gr = student("gradient")
    for x in (np.array([3.0, 4.0]), np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])):
        what = label(f"numerical_gradient(f, x) (x の形 {x.shape}、f(x) = Σ x^2)",
                     f"numerical_gradient(f, x) (x of shape {x.shape}, f(x) = Σ x^2)")
        recorder = Recorder()
        result, changed = _call_numerical_gradient(gr, recorder, x.copy(), what)
        for seen in recorder.calls:
            expect(seen.shape == x.shape,
                   f"f が x 全体 {x.shape} ではなく形 {seen.shape} の配列で呼ばれました。"
                   "f には x 全体を渡してください。",
                   f"f was called with an array of shape {seen.shape}, not the whole x "
                   f"{x.shape}. Pass the whole x to f.",
                   known(mistakes, "ng_rows_separately", "x の行を 1 行ずつ f に渡しています。",
                         "The rows of x are passed to f one at a time.")
                   if x.ndim > 1 and seen.shape == x.shape[1:] else None)
            moved = int(np.sum(~np.isclose(seen, x, rtol=0, atol=1e-9)))
            expect(moved <= 1,
                   f"f が {moved} 個の要素を動かした x で呼ばれました。"
                   "各要素を調べ終えたら元の値に戻してください。",
                   f"f was called with {moved} elements changed. "
                   "Put each element back after use.",
                   known(mistakes, "ng_not_restored", "x[idx] を元の値に戻していません。",
                         "x[idx] is not put back."))
        if changed is not None:
            raise changed
        expect_array(result, 2 * x, what, rtol=1e-8,
                     mistakes=[(known(mistakes, "forward_difference",
                                      "前進差分になっています。中心差分を使ってください。",
                                      "This is the forward difference: use the central "
                                      "difference."), 2 * x + 1e-4)])


def exact_gradient(f, x, h=1e-4):
    """The exact gradient 2x of f(x) = Σ x^2."""
    return 2.0 * np.asarray(x, dtype=float)


def check_descent(result, init, lr, steps, what, mistakes):
    """(x, x_history) of x <- x - lr * 2x from init: x_k = init * (1 - 2 lr)^k."""
    x, x_history = expect_tuple(result, 2, what)
    history = np.array([init * (1 - 2 * lr) ** k for k in range(steps + 1)])
    x_history = as_array(x_history, "x_history")
    expect(x_history.shape != history.shape,
           f"{what}: x_history に最後の x まで入っています ({steps + 1} 個)。"
           f"各更新の前の x だけの {steps} 個です。",
           f"{what}: x_history also holds the final x ({steps + 1} entries): it holds the x "
           f"before each update only, {steps} entries.")
    if x_history.shape == history[:-1].shape:
        expect_array(x_history[0], history[0], f"{what}: x_history[0] (= init_x)",
                     mistakes=[(known(mistakes, "gd_history_after_update",
                                      "x_history を更新の後に記録しています。",
                                      "x_history is recorded after each update."), history[1]),
                               (known(mistakes, "gd_history_no_copy",
                                      "x そのものを追加しています。x.copy() を追加してください。",
                                      "x itself is appended: append x.copy()."), history[-1])])
        expect_array(x_history[1] - x_history[0], history[1] - history[0],
                     label(f"{what}: 最初の更新 x_history[1] - x_history[0]",
                           f"{what}: the first update x_history[1] - x_history[0]"))
    expect_array(x_history, history[:-1],
                 label(f"{what}: x_history (各更新の前の x)",
                       f"{what}: x_history (the x before each update)"))
    expect_array(x, history[-1], label(f"{what}: 1 つ目の戻り値 (最後の x)",
                                       f"{what}: the first value returned (the final x)"))


def test_gradient_descent(student, mistakes):
    gr = student("gradient")
    init = np.array([-3.0, 4.0])
    with replaced(gr, numerical_gradient=exact_gradient):
        result = gr.gradient_descent(square_sum, init.copy(), lr=0.1, step_num=20)
    check_descent(result, init, 0.1, 20, "gradient_descent(f, init_x, lr=0.1, step_num=20)",
                  mistakes)
    init = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])  # the defaults, a 2x3 init_x
    with replaced(gr, numerical_gradient=exact_gradient):
        result = gr.gradient_descent(square_sum, init.copy())
    check_descent(result, init, 0.01, 100, "gradient_descent(f, init_x)", mistakes)
