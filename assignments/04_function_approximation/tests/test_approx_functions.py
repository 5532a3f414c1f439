"""公開テスト: ReLU、二乗誤差、make_dataset / Public tests: ReLU, the squared error, make_dataset.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import math

import numpy as np

from checks import as_array, as_number, expect, expect_array, expect_number, expect_tuple, label


def test_relu_and_derivative(student):
    fa = student("function_approximation")
    u = np.array([[-1.0, 0.0, 2.0], [0.5, -3.0, 0.0]])
    expect_array(fa.relu(u.copy()), [[0.0, 0.0, 2.0], [0.5, 0.0, 0.0]], "relu(u)")
    expect_array(fa.relu_derivative(u.copy()), [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]],
                 "relu_derivative(u) (ReLU'(0) = 0)")


def test_squared_error(student):
    """ŷ - y = [1, 2, -0.5, 0]: ½ Σ (ŷ - y)^2 = 2.625 with the gradient ŷ - y, or the batch
    mean 2.625 / 4 = 0.65625 with the gradient (ŷ - y) / 4. Both are accepted."""
    fa = student("function_approximation")
    y_hat = np.array([[1.0], [3.0], [0.0], [2.0]])
    y = np.array([[0.0], [1.0], [0.5], [2.0]])
    value = as_number(fa.squared_error(y_hat.copy(), y.copy()), "squared_error(y_hat, y)")
    gradient = fa.squared_error_gradient(y_hat.copy(), y.copy())
    if math.isclose(value, 0.65625, rel_tol=1e-9):  # the batch mean
        expect_array(gradient, [[0.25], [0.5], [-0.125], [0.0]],
                     label("squared_error_gradient (平均 ½ (1/N) Σ (ŷ - y)^2 の微分 (ŷ - y) / N)",
                           "squared_error_gradient (the derivative of the mean "
                           "½ (1/N) Σ (ŷ - y)^2: (ŷ - y) / N)"), batch=4)
        return
    expect_number(value, 2.625, label("squared_error(y_hat, y) (½ Σ (ŷ - y)^2、または平均)",
                                      "squared_error(y_hat, y) (½ Σ (ŷ - y)^2, or the mean)"),
                  batch=4)
    expect_array(gradient, [[1.0], [2.0], [-0.5], [0.0]],
                 label("squared_error_gradient (½ Σ (ŷ - y)^2 の微分 ŷ - y)",
                       "squared_error_gradient (the derivative of ½ Σ (ŷ - y)^2: ŷ - y)"),
                 batch=4)


def test_make_dataset(student):
    fa = student("function_approximation")
    x, y = expect_tuple(fa.make_dataset(30, np.random.default_rng(0)), 2, "make_dataset(30, rng)")
    x, y = as_array(x, "make_dataset(...)[0] (x)"), as_array(y, "make_dataset(...)[1] (y)")
    expect(x.shape == (30, 1) and y.shape == (30, 1),
           f"x, y の形が {x.shape}, {y.shape} です ((30, 1) のはず)。",
           f"x and y have shapes {x.shape}, {y.shape} (expected (30, 1)).",
           hint_id="reshaped" if x.size == 30 and y.size == 30 else None)
    expect(bool(np.all(np.abs(x) <= np.pi)) and float(np.ptp(x)) > np.pi,
           "x は [-π, π] の一様乱数にしてください。", "x must be uniform on [-π, π].")
    expect_array(y, np.sin(x), "make_dataset(...)[1] = sin(x)")
    again, _ = fa.make_dataset(30, np.random.default_rng(0))
    expect(np.array_equal(as_array(again, "x"), x),
           "同じ種の rng から同じ x になりません。渡された rng を使ってください。",
           "The same seed does not give the same x: draw from the rng you are given.")
