"""公開テスト: softmax、交差エントロピー誤差、損失レイヤ / Public tests: softmax and the losses.

どれも正方でない配列で確かめます / every array here is non-square.
"""

import math

import numpy as np

from checks import (as_array, as_number, attempt, backward_dx, expect_array, expect_number,
                    expect_relative, label, numerical_gradient, resolve)

SCORES = np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 0.0, 0.25, -0.5], [0.0, 1.5, -1.0, 0.5]])
LABELS = np.array([2, 0, 1])    # N = 3 rows, 4 classes
ONE_HOT = np.eye(4)[LABELS]
N = 3


def _rows_softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _both(y):
    """-mean log y[t] with the kit's + 1e-7 and without it (the slide's formula): both right."""
    return [float(-np.mean(np.log(y[np.arange(N), LABELS] + eps))) for eps in (1e-7, 0.0)]


def _own_parts(layers, t):
    """(your softmax(x), your cross_entropy_error of it), each None when it fails.

    A SoftmaxWithLoss built on these two is judged by what they give: their own
    mistakes count in their own tests.
    """
    try:
        softmax, _ = resolve(layers, "softmax", "layers.py")
        own_y = np.asarray(softmax(SCORES.copy()), dtype=float)
    except Exception:  # noqa: BLE001
        return None, None
    try:
        error, _ = resolve(layers, "cross_entropy_error", "layers.py")
        return own_y, float(error(own_y.copy(), t.copy()))
    except Exception:  # noqa: BLE001
        return own_y, None


def test_softmax(student):
    softmax, _ = resolve(student("layers"), "softmax", "layers.py")
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
    e = np.exp([1.0, 2.0, 3.0])
    expect_array(softmax(x.copy()), [e / e.sum(), [1 / 3, 1 / 3, 1 / 3]],
                 label("softmax(x) (行ごと、大きな値でも)",
                       "softmax(x) (per row, even for large values)"))


def test_cross_entropy_error(student):
    """one-hot の t でもラベルの t でも / with one-hot and with label targets."""
    function, _ = resolve(student("layers"), "cross_entropy_error", "layers.py")
    y = _rows_softmax(SCORES)
    accepted = _both(y)
    for t, ja, en in ((ONE_HOT, "one-hot", "one-hot"), (LABELS, "ラベル", "label")):
        value = as_number(function(y.copy(), t.copy()), "cross_entropy_error(y, t)")
        if not any(math.isclose(value, a, rel_tol=1e-9) for a in accepted):
            expect_number(value, accepted[0], label(f"cross_entropy_error(y, t) ({ja} の t)",
                                                    f"cross_entropy_error(y, t) ({en} t)"),
                          batch=N)


def test_softmax_with_loss(student):
    """forward と backward、one-hot とラベル / forward and backward, one-hot and labels."""
    layers = student("layers")
    cls, _ = resolve(layers, "SoftmaxWithLoss", "layers.py")
    y = _rows_softmax(SCORES)
    for t, ja, en in ((ONE_HOT, "one-hot", "one-hot"), (LABELS, "ラベル", "label")):
        layer = cls()
        loss, error = attempt(layer.forward, SCORES.copy(), t.copy())
        own_y, own = _own_parts(layers, t)
        if error is not None:
            if en == "label" and own is None:
                continue  # your cross_entropy_error does not take labels: its test says so
            raise error
        value = as_number(loss, "SoftmaxWithLoss.forward(x, t)")
        accepted = _both(y) + ([own] if own is not None else [])
        if not any(math.isclose(value, a, rel_tol=1e-9) for a in accepted):
            expect_number(value, accepted[0], label(f"SoftmaxWithLoss.forward(x, t) ({ja} の t)",
                                                    f"SoftmaxWithLoss.forward(x, t) ({en} t)"),
                          batch=N)
        dx = as_array(backward_dx(layer.backward(), "SoftmaxWithLoss.backward()"),
                      "SoftmaxWithLoss.backward()")
        expected_dx = (y - ONE_HOT) / N
        if own_y is not None and own_y.shape == dx.shape == y.shape and \
                not np.allclose(dx, expected_dx) and np.allclose(dx, (own_y - ONE_HOT) / N):
            expected_dx = (own_y - ONE_HOT) / N
        expect_array(dx, expected_dx, label(f"SoftmaxWithLoss.backward() = (y - t) / N ({ja} の t)",
                                            f"SoftmaxWithLoss.backward() = (y - t) / N ({en} t)"),
                     batch=N)


def test_mean_squared_error(student):
    """forward は ½Σ, ½(1/N)Σ, (1/N)Σ, np.mean のどれでもよく、backward はその微分.

    Any of the slides' losses; backward must be the derivative of your own forward (of
    the whole batch, or of each sample as in deck 004).
    """
    cls, _ = resolve(student("layers"), "MeanSquaredError", "layers.py")
    y = np.array([[0.5, 1.0, -1.0, 2.0], [0.0, 0.5, 1.5, -0.5], [1.0, -2.0, 0.0, 0.25]])
    t = np.array([[1.0, 0.0, -1.0, 1.0], [0.5, 0.5, 1.0, 0.0], [0.0, -1.0, 0.5, 0.0]])
    total, n, k = float(np.sum((y - t) ** 2)), 3, 4
    accepted = [total / 2, total / (2 * n), total / n, total / (n * k)]
    value = as_number(cls().forward(y.copy(), t.copy()), "MeanSquaredError.forward(y, t)")
    if not any(math.isclose(value, a, rel_tol=1e-9) for a in accepted):
        # Compared with the nearest of them, so the message names the likeliest slip.
        nearest = min(accepted, key=lambda a: abs(math.log(value / a))) if value > 0 \
            else total / n
        expect_number(value, nearest, label(
            "MeanSquaredError.forward(y, t) (½Σ, ½(1/N)Σ, (1/N)Σ, np.mean のどれでもない)",
            "MeanSquaredError.forward(y, t) (none of ½Σ, ½(1/N)Σ, (1/N)Σ, np.mean)"), batch=n)
    layer = cls()
    layer.forward(y.copy(), t.copy())
    dy = backward_dx(layer.backward(), "MeanSquaredError.backward()")
    probe = cls()
    whole = numerical_gradient(lambda z: probe.forward(z, t.copy()), y)
    rows = np.array([numerical_gradient(lambda z, i=i: probe.forward(z[None], t[i:i + 1]), y[i])
                     for i in range(n)])
    dy = as_array(dy, "MeanSquaredError.backward()")
    each = dy.shape == rows.shape and np.allclose(dy, rows, rtol=1e-6, atol=1e-8)
    if not each:
        expect_relative(dy, whole, label("MeanSquaredError.backward() と自分の forward の数値微分",
                                         "MeanSquaredError.backward() against the numerical "
                                         "gradient of your forward"),
                        max_error=1e-6, batch=n)
