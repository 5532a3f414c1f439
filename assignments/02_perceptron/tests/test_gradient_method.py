"""公開テスト: scripts/gradient_method.py / Public tests for gradient_method.py.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import numpy as np

from checks import (as_array, expect, expect_array, expect_length, expect_number,
                    expect_tuple)


def test_predict(student):
    gm = student("gradient_method")
    x = np.array([0.0, 1.0, 2.0])
    expect_array(gm.predict(x, 2.0, 1.0), [1.0, 3.0, 5.0], "predict([0, 1, 2], w=2, b=1)")


def test_mean_squared_error(student):
    gm = student("gradient_method")
    y, t = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0])
    expect_number(gm.mean_squared_error(y, t), (0 + 4 + 9) / 3, "mean_squared_error(y, t)")


def test_gradients(student):
    gm = student("gradient_method")
    x, y, t = np.array([1.0, 2.0]), np.array([3.0, 5.0]), np.array([1.0, 1.0])
    g_w, g_b = expect_tuple(gm.gradients(x, y, t), 2, "gradients(x, y, t)")
    expect_number(g_w, 2 / 2 * (1 * 2 + 2 * 4), "g_w = (2/n) Σ x (y - t)")
    expect_number(g_b, 2 / 2 * (2 + 4), "g_b = (2/n) Σ (y - t)")


def test_fit_decreases_loss(student):
    gm = student("gradient_method")
    x = np.linspace(0.0, 1.0, 20)
    t = 3.0 * x + 0.5
    w, b, losses = expect_tuple(gm.fit(x, t, 0.0, 0.0, learning_rate=0.1, max_iteration=50), 3,
                                "fit(x, t, 0, 0, 0.1, 50)")
    expect_length(losses, 50, "losses")
    values = as_array(losses, "fit(...)[2] (losses)")
    expect(bool(np.all(np.isfinite(values))), "losses に NaN または inf があります。",
           "losses contains NaN or inf.")
    expect(values[-1] < values[0], "学習で誤差が減っていません。", "The loss does not decrease.")
