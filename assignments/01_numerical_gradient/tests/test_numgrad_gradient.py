"""公開テスト: scripts/gradient.py / Public tests for gradient.py.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import numpy as np

from checks import expect, expect_array, expect_number, expect_tuple
from studentops import square_sum  # runs where the student's code runs


class Recorder:
    """f(x) = Σ x^2 that remembers every x it was called with."""

    def __init__(self):
        self.calls = []

    def __call__(self, x):
        x = np.array(x, dtype=float)
        self.calls.append(x)
        return square_sum(x)


def test_numerical_diff(student):
    gr = student("gradient")
    expect_number(gr.numerical_diff(lambda x: x ** 2, 3.0), 6.0,
                  "numerical_diff(f, 3.0) for f(x) = x^2 (中心差分 / central difference)",
                  rtol=1e-8)


def test_numerical_gradient_1d(student):
    gr = student("gradient")
    x = np.array([3.0, 4.0])
    recorder = Recorder()
    expect_array(gr.numerical_gradient(recorder, x.copy()), [6.0, 8.0],
                 "numerical_gradient(f, [3, 4]) for f(x) = x0^2 + x1^2", rtol=1e-8)
    for seen in recorder.calls:
        changed = int(np.sum(~np.isclose(seen, x, rtol=0, atol=1e-9)))
        expect(changed <= 1,
               f"f が 2 つ以上の要素を動かした x で呼ばれました: {seen.tolist()}。"
               "各要素を調べ終えたら元の値に戻してください。",
               f"f was called with more than one element changed: {seen.tolist()}. "
               "Put each element back after use.")


def test_numerical_gradient_2d(student):
    gr = student("gradient")
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    expect_array(gr.numerical_gradient(square_sum, x.copy()), 2 * x,
                 "numerical_gradient(f, x) for a 2x2 x and f(x) = Σ x^2", rtol=1e-8)


def test_gradient_descent(student):
    gr = student("gradient")
    x, x_history = expect_tuple(gr.gradient_descent(square_sum, np.array([-3.0, 4.0]), lr=0.1,
                                                    step_num=100), 2,
                                "gradient_descent(f, [-3, 4], lr=0.1, step_num=100)")
    expect_array(x, [0.0, 0.0], "gradient_descent(...)[0] (the minimum of x0^2 + x1^2)",
                 atol=1e-3)
    history = np.asarray(x_history, dtype=float)
    expect(history.shape in ((100, 2), (101, 2)),
           f"x_history の形が {history.shape} です (期待 (100, 2): 各更新の前の x)。",
           f"x_history has shape {history.shape} (expected (100, 2): the x before each update).")
    expect_array(history[0], [-3.0, 4.0], "x_history[0] (= init_x)")
