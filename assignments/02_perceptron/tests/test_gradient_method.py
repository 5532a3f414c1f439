"""公開テスト: scripts/gradient_method.py / Public tests for gradient_method.py.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""


import numpy as np

from checks import (as_array, attempt, error_text, expect, expect_array, expect_length,
                    expect_number, expect_tuple, label, replaced)


def test_predict(student):
    gm = student("gradient_method")
    x = np.array([0.0, 1.0, 3.0])
    expect_array(gm.predict(x, 2.0, 1.0), [1.0, 3.0, 7.0], "predict([0, 1, 3], w=2, b=1)")


def test_mean_squared_error(student):
    gm = student("gradient_method")
    y, t = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0])
    expect_number(gm.mean_squared_error(y, t), (0 + 4 + 9) / 3, "mean_squared_error(y, t)",
                  batch=3)


def test_gradients(student):
    gm = student("gradient_method")
    x, y, t = np.array([1.0, 2.0]), np.array([3.0, 5.0]), np.array([1.0, 1.0])
    g_w, g_b = expect_tuple(gm.gradients(x, y, t), 2, "gradients(x, y, t)")
    expect_number(g_w, 2 / 2 * (1 * 2 + 2 * 4), "g_w = (2/n) Σ x (y - t)", batch=2)
    expect_number(g_b, 2 / 2 * (2 + 4), "g_b = (2/n) Σ (y - t)", batch=2)


# fit だけを確かめるため、fit が呼ぶ predict / mean_squared_error / gradients を、
# 授業の式とは違う簡単な「代役」に置き換えます (ほかの関数の間違いで fit が不合格に
# ならないように)。fit がこれらを呼ばずに自分で計算している場合は、授業の式での値と
# 比べます。
# To check fit on its own, the predict / mean_squared_error / gradients it calls are
# replaced by simple stand-ins (not the exercise's formulas), so that a mistake in those
# functions does not fail this test. A fit that computes everything itself is compared
# with the values of the exercise's formulas instead.

def _stand_in_predict(x, w, b):
    return (w + b) * x


def _stand_in_error(y, t):
    return float(np.sum(np.abs(y - t)))


def _stand_in_gradients(x, y, t):
    return float(np.sum(y - t)), float(np.min(y - t))


FIT_X = np.array([1.0, 2.0, 3.0])
FIT_T = np.array([2.0, 3.0, 5.0])
# fit(FIT_X, FIT_T, w=0.5, b=0.25, learning_rate=0.0625, max_iteration=4): (w, b, losses)
WITH_STAND_INS = (1.0887222290039062, 0.5555992126464844,
                  [5.5, 2.40625, 1.052734375, 0.8201904296875])
WITH_THE_FORMULAS = (1.3686146677276234, 0.6111540617766205,
                     [5.0625, 0.5377242476851858, 0.11179147728186077, 0.07140386829541943])


def test_fit(student):
    gm = student("gradient_method")
    with replaced(gm, predict=_stand_in_predict, mean_squared_error=_stand_in_error,
                   gradients=_stand_in_gradients):
        result = gm.fit(FIT_X.copy(), FIT_T.copy(), 0.5, 0.25, learning_rate=0.0625,
                        max_iteration=4)
    w, b, losses = expect_tuple(result, 3, "fit(x, t, w, b, learning_rate, max_iteration)")
    expect_length(losses, 4, "fit(...)[2] (losses)")
    values = as_array(losses, "fit(...)[2] (losses)")
    own = np.allclose(values, WITH_THE_FORMULAS[2])
    w_ref, b_ref, losses_ref = WITH_THE_FORMULAS if own else WITH_STAND_INS
    expect_array(values, losses_ref, label("fit(...)[2] (losses: 各回の更新の前の誤差)",
                                           "fit(...)[2] (losses: the error before each update)"))
    expect_number(w, w_ref, "fit(...)[0] (w)")
    expect_number(b, b_ref, "fit(...)[1] (b)")


def test_minimize_quadratic(student):
    gm = student("gradient_method")
    x, history = expect_tuple(gm.minimize_quadratic(5.0, learning_rate=0.25, max_iteration=3),
                              2, "minimize_quadratic(5.0, 0.25, 3)")
    expect_number(x, 1.5, "minimize_quadratic(...)[0] (x)")
    expect_array(as_array(history, "minimize_quadratic(...)[1] (history)").ravel(),
                 [5.0, 3.0, 2.0, 1.5], "minimize_quadratic(...)[1] (history = [x0, x1, x2, x3])")


class _ReachedFit(Exception):
    """代役の fit が送る合図 / raised by the stand-in fit: the script stops there."""


def test_script_start_values(student):
    """スクリプトが w, b の初期値を決めて fit を呼ぶ (学習と図はここでは行わない)."""
    gm = student("gradient_method")
    starts = []

    def stand_in_fit(x, t, w, b, learning_rate=0.1, max_iteration=100):
        starts.append((w, b))
        raise _ReachedFit("the test stops the script here")

    with replaced(gm, fit=stand_in_fit):
        _, error = attempt(student.run_script, "gradient_method")
    detail = f" ({error_text(error)})" if error is not None and not starts else ""
    expect(bool(starts),
           "スクリプト (if __name__ == \"__main__\": の部分) が fit を呼ぶところまで進み"
           f"ません{detail}。",
           f"The script (the if __name__ == \"__main__\": part) does not get as far as "
           f"calling fit{detail}.")
    w0, b0 = starts[0]
    expect(all(_finite_number(v) for v in (w0, b0)),
           "fit に渡す w, b の初期値は数 (float) にしてください (乱数なら rng.standard_normal())。",
           "The start values of w and b given to fit must be numbers (float), e.g. "
           "rng.standard_normal().")


def _finite_number(value):
    try:
        return bool(np.size(value) == 1 and np.isfinite(float(np.ravel(value)[0])))
    except (TypeError, ValueError):
        return False
