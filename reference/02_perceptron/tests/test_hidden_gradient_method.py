"""Hidden tests: scripts/gradient_method.py.

Inputs are generated here from fixed seeds; expected values come from the reference
solution. Each test judges one function: fit and the script run with the reference's
predict / mean_squared_error / gradients (and fit) in place of the student's, so a
mistake in one of those costs only its own tests. Known mistakes are named; other
differences get a hint (a factor, a sign, an offset, a shift by one step...).
"""

import contextlib
import inspect
import re
from functools import cache

import numpy as np

from checks import (CheckFailure, Mistake, as_array, attempt, expect, expect_array, expect_length,
                    expect_number, expect_tuple, label, replaced)


def _data(seed=1, n=12):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 3.0, n)
    t = 1.7 * x - 0.4 + 0.3 * rng.standard_normal(n)
    return x, t


def _reference_parts(ref, *names):
    return {name: getattr(ref, name) for name in names}


def test_predict(student, reference):
    gm, ref = student("gradient_method"), reference("gradient_method")
    x, _ = _data(2)
    expect_array(gm.predict(x.copy(), 1.3, -0.7), ref.predict(x, 1.3, -0.7),
                 "predict(x, w, b)")


def test_mean_squared_error(student, reference, mistakes):
    gm, ref = student("gradient_method"), reference("gradient_method")
    x, t = _data(3)
    y = ref.predict(x, 0.5, 0.2)
    squared = (y - t) ** 2
    expect_number(gm.mean_squared_error(y.copy(), t.copy()), ref.mean_squared_error(y, t),
                  "mean_squared_error(y, t)", rtol=1e-9, batch=len(x),
                  mistakes=[(Mistake.from_catalogue(mistakes, "gm_mse_sum"), squared.sum()),
                            (Mistake.from_catalogue(mistakes, "gm_mse_half"),
                             squared.mean() / 2)])


def test_gradients(student, reference, mistakes):
    gm, ref = student("gradient_method"), reference("gradient_method")
    x, t = _data(4)
    y = ref.predict(x, 0.9, 0.1)
    g_w, g_b = ref.gradients(x, y, t)
    result = expect_tuple(gm.gradients(x.copy(), y.copy(), t.copy()), 2, "gradients(x, y, t)")
    n = len(x)
    known = [
        (Mistake.from_catalogue(mistakes, "gm_gradients_missing_two"), (g_w / 2, g_b / 2)),
        (Mistake.from_catalogue(mistakes, "gm_gradients_sign"), (-g_w, -g_b)),
        (Mistake.from_catalogue(mistakes, "gm_gradients_sum"), (g_w * n, g_b * n)),
    ]
    expect_number(result[0], g_w, "gradients(x, y, t)[0] (g_w)", rtol=1e-9, batch=n,
                  mistakes=[(m, value[0]) for m, value in known],
                  variants=[("wrong_parameter", g_b)])
    expect_number(result[1], g_b, "gradients(x, y, t)[1] (g_b)", rtol=1e-9, batch=n,
                  mistakes=[(m, value[1]) for m, value in known],
                  variants=[("wrong_parameter", g_w)])


FIT_ITERATIONS, FIT_RATE, FIT_START = 12, 0.05, (0.3, -0.2)


def test_fit(student, reference, mistakes, artifacts):
    """fit alone: its predict / mean_squared_error / gradients are the reference's."""
    gm, ref = student("gradient_method"), reference("gradient_method")
    x, t = _data(5, n=30)
    w0, b0 = FIT_START
    w_ref, b_ref, losses_ref = ref.fit(x, t, w0, b0, FIT_RATE, FIT_ITERATIONS)
    with replaced(gm, **_reference_parts(ref, "predict", "mean_squared_error", "gradients")):
        result = gm.fit(x.copy(), t.copy(), w0, b0, learning_rate=FIT_RATE,
                        max_iteration=FIT_ITERATIONS)
    w, b, losses = expect_tuple(result, 3, "fit(x, t, w, b, learning_rate, max_iteration)")
    values = as_array(losses, "fit(...)[2] (losses)").ravel()
    with contextlib.suppress(Exception):
        artifacts.curve("fit", {"student": values.tolist(), "reference": losses_ref},
                        title={"ja": "fit の誤差", "en": "fit: loss per iteration"},
                        ylabel="E")
    expect_length(values, FIT_ITERATIONS, "fit(...)[2] (losses)")
    _, _, longer = ref.fit(x, t, w0, b0, FIT_RATE, FIT_ITERATIONS + 1)
    wrong_sign, ws, bs = [], w0, b0
    for _ in range(FIT_ITERATIONS):
        y = ref.predict(x, ws, bs)
        wrong_sign.append(ref.mean_squared_error(y, t))
        g_w, g_b = ref.gradients(x, y, t)
        ws, bs = ws + FIT_RATE * g_w, bs + FIT_RATE * g_b
    expect_array(values, np.asarray(losses_ref),
                 label("fit(...)[2] (losses: 各回の更新の前の誤差)",
                       "fit(...)[2] (losses: the error before each update)"), rtol=1e-7,
                 mistakes=[(Mistake.from_catalogue(mistakes, "gm_fit_loss_after_update"),
                            longer[1:]),
                           (Mistake.from_catalogue(mistakes, "gm_fit_update_sign"),
                            wrong_sign)])
    expect_number(w, w_ref, "fit(...)[0] (w)", rtol=1e-7)
    expect_number(b, b_ref, "fit(...)[1] (b)", rtol=1e-7)


def test_minimize_quadratic(student, reference):
    gm, ref = student("gradient_method"), reference("gradient_method")
    x_ref, history_ref = ref.minimize_quadratic(5.0, learning_rate=0.1, max_iteration=30)
    x, history = expect_tuple(gm.minimize_quadratic(5.0, learning_rate=0.1, max_iteration=30),
                              2, "minimize_quadratic(x0, learning_rate, max_iteration)")
    expect_number(x, x_ref, "minimize_quadratic(...)[0] (x)", rtol=1e-9)
    expect_array(as_array(history, "minimize_quadratic(...)[1] (history)").ravel(),
                 np.asarray(history_ref),
                 "minimize_quadratic(...)[1] (history = [x0, x1, ..., x_max_iteration])",
                 rtol=1e-9)


@cache
def _least_squares(ref):
    """The least-squares line through the script's data (what training converges to)."""
    x, t = ref.load_data()
    design = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(design, t, rcond=None)
    return float(w), float(b)


def _start_kind(w0, b0):
    """'fixed' for start values written as short decimals (0.0, 1.5), else 'random':
    rng.standard_normal() never draws a number with four decimals or fewer."""
    try:
        values = [float(w0), float(b0)]
    except (TypeError, ValueError):
        return None
    return "fixed" if all(v == round(v, 4) for v in values) else "random"


def test_script_output(student, reference, artifacts, conventions):
    """Running gradient_method.py prints w and b and writes the figure.

    The script runs with the reference's functions in place of the student's (they are
    judged by their own tests); fit records the start values, which tell whether they
    are random (as 004 「一次関数のパラメータ推定(1)」 says) or fixed. The printed w and b
    are judged against the least-squares fit, not against one run's digits.
    """
    gm, ref = student("gradient_method"), reference("gradient_method")
    starts = []

    def fit(*args, **kwargs):
        bound = inspect.signature(ref.fit).bind(*args, **kwargs)
        bound.apply_defaults()
        starts.append((bound.arguments["w"], bound.arguments["b"]))
        return ref.fit(*bound.args, **bound.kwargs)

    parts = _reference_parts(ref, "predict", "mean_squared_error", "gradients",
                             "minimize_quadratic")
    with replaced(gm, fit=fit, **parts):
        printed, error = attempt(student.run_script, "gradient_method")
    if error is not None:  # the script needs more of its own functions than the reference's
        starts.clear()
        printed, error = attempt(student.run_script, "gradient_method")
    if error is not None:
        raise error
    if starts and _start_kind(*starts[0]) is not None:
        conventions.recognised("start_values", _start_kind(*starts[0]))
    w_ls, b_ls = _least_squares(ref)
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d{6,}", printed)]

    def near(target):
        return any(abs(n - target) <= 1e-3 * (1 + abs(target)) for n in numbers)

    if not (near(w_ls) and near(b_ls)):
        raise CheckFailure(
            "スクリプトの出力に、最小二乗法の解に近い w と b (小数点以下 6 桁) が見つかり"
            "ません。学習した w と b を表示していますか。学習率と学習回数は十分ですか。",
            "The script's output does not show w and b (6 decimals) close to the "
            "least-squares fit. Does it print the trained w and b? Are the learning rate "
            "and the number of iterations enough?",
            values_ja=f"最小二乗法の解 w = {w_ls:.6f}, b = {b_ls:.6f}",
            values_en=f"least-squares fit w = {w_ls:.6f}, b = {b_ls:.6f}")
    png = student.read_output("gradient_method.png")
    expect(png is not None and png.startswith(b"\x89PNG"),
           "outputs/gradient_method.png が作られていません。",
           "outputs/gradient_method.png was not written.")
    artifacts.image("gradient_method.png", png,
                    title={"ja": "あなたのスクリプトの図", "en": "Your script's figure"})
