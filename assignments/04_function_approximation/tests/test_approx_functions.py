"""公開テスト: ReLU と二乗誤差 / Public tests: ReLU and the squared error.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import numpy as np

from checks import expect_array, expect_number


def test_relu_and_derivative(student):
    fa = student("function_approximation")
    u = np.array([[-1.0, 0.0, 2.0]])
    expect_array(fa.relu(u.copy()), [[0.0, 0.0, 2.0]], "relu([-1, 0, 2])")
    expect_array(fa.relu_derivative(u.copy()), [[0.0, 0.0, 1.0]],
                 "relu_derivative([-1, 0, 2]) (ReLU'(0) = 0)")


def test_squared_error(student):
    fa = student("function_approximation")
    y_hat, y = np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])
    expect_number(fa.squared_error(y_hat, y), 0.5 * (1 + 4), "squared_error = ½ Σ (ŷ - y)^2")
    expect_array(fa.squared_error_gradient(y_hat, y), [[1.0], [2.0]],
                 "squared_error_gradient = ŷ - y")
