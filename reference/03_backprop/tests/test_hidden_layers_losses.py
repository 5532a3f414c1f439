"""Hidden tests: softmax, cross_entropy_error, SoftmaxWithLoss and MeanSquaredError.

Targets come both as one-hot rows and as labels (the book's code accepts both); a
layer that handles only one of them is named. The numerical check of SoftmaxWithLoss
allows a relative error of 1e-4: the ``+ 1e-7`` inside the log makes even the book's
own code miss tighter bounds.
"""

import numpy as np
import pytest

from checks import (Mistake, attempt, backward_dx, error_text, expect, expect_array,
                    expect_number, expect_relative, numerical_gradient, resolve)

SMOOTH = 1e-7
WITH_LOG = 1e-4    # numerical check through log(y + 1e-7)
N, C = 5, 4


def _scores(seed, scale=2.0):
    rng = np.random.default_rng(seed)
    x = scale * rng.standard_normal((N, C))
    labels = rng.integers(0, C, N)
    return x, labels, np.eye(C)[labels]


def _whole_array_softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def _targets(kind, labels, one_hot):
    return one_hot if kind == "one_hot" else labels


def _labels_unsupported(mistakes, what, error):
    expect(False, f"{what} がラベル形式の t (形 (N,)) でエラーになりました: {error_text(error)}",
           f"{what} fails with label targets t of shape (N,): {error_text(error)}",
           Mistake.from_catalogue(mistakes, "labels_unsupported"))


# ------------------------------------------------------------------ softmax


def test_softmax(student, reference, mistakes):
    layers, ref = student("layers"), reference("layers")
    x, _, _ = _scores(1)
    softmax, _ = resolve(layers, "softmax", "layers.py")
    expect_array(softmax(x.copy()), ref.softmax(x), "softmax(x) (each row sums to 1)",
                 rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "softmax_whole_array"),
                      _whole_array_softmax(x))])


def test_softmax_large_inputs(student, reference, mistakes):
    layers, ref = student("layers"), reference("layers")
    x, _, _ = _scores(2)
    x = x + np.array([[1000.0], [-1000.0], [800.0], [0.0], [710.0]])
    softmax, _ = resolve(layers, "softmax", "layers.py")
    result, error = attempt(softmax, x.copy())
    if error is None:
        values = np.asarray(result, dtype=float) if isinstance(result, np.ndarray) else None
        overflow = values is not None and not np.all(np.isfinite(values))
    else:
        overflow = True
    expect(not overflow,
           "softmax(x) が大きな入力 (1000 など) で NaN/inf になりました。exp がオーバーフロー"
           "しています。",
           "softmax(x) gives NaN/inf for large inputs (such as 1000): exp overflows.",
           Mistake.from_catalogue(mistakes, "softmax_no_max_shift"))
    expect_array(result, ref.softmax(x), "softmax(x) for large inputs", rtol=SMOOTH)


# ------------------------------------------------------------------ cross entropy


def test_cross_entropy_error_one_hot(student, reference, mistakes):
    layers, ref = student("layers"), reference("layers")
    x, _, one_hot = _scores(3)
    y = ref.softmax(x)
    function, _ = resolve(layers, "cross_entropy_error", "layers.py")
    expected = ref.cross_entropy_error(y, one_hot)
    expect_number(function(y.copy(), one_hot.copy()), expected,
                  "cross_entropy_error(y, t) with one-hot t", rtol=SMOOTH,
                  mistakes=[(Mistake.from_catalogue(mistakes, "cee_no_batch_mean"),
                             expected * N)])


def test_cross_entropy_error_labels(student, reference, mistakes):
    layers, ref = student("layers"), reference("layers")
    x, labels, _ = _scores(4)
    y = ref.softmax(x)
    function, _ = resolve(layers, "cross_entropy_error", "layers.py")
    result, error = attempt(function, y.copy(), labels.copy())
    if error is not None:
        _labels_unsupported(mistakes, "cross_entropy_error(y, t)", error)
    expected = ref.cross_entropy_error(y, labels)
    expect_number(result, expected, "cross_entropy_error(y, t) with labels t", rtol=SMOOTH,
                  mistakes=[(Mistake.from_catalogue(mistakes, "cee_no_batch_mean"),
                             expected * N)])


# ------------------------------------------------------------------ SoftmaxWithLoss


@pytest.mark.parametrize("kind", ["one_hot", "labels"])
def test_softmax_with_loss_forward(student, reference, mistakes, artifacts, kind):
    layers, ref = student("layers"), reference("layers")
    x, labels, one_hot = _scores(5)
    t = _targets(kind, labels, one_hot)
    cls, _ = resolve(layers, "SoftmaxWithLoss", "layers.py", artifacts=artifacts)
    result, error = attempt(cls().forward, x.copy(), t.copy())
    if error is not None and kind == "labels":
        _labels_unsupported(mistakes, "SoftmaxWithLoss.forward(x, t)", error)
    if error is not None:
        raise error
    expected = ref.SoftmaxWithLoss().forward(x, t)
    whole = -np.sum(np.log(_whole_array_softmax(x)[np.arange(N), labels] + 1e-7)) / N
    expect_number(result, expected, f"SoftmaxWithLoss.forward(x, t) ({kind} t)", rtol=SMOOTH,
                  mistakes=[(Mistake.from_catalogue(mistakes, "cee_no_batch_mean"),
                             expected * N),
                            (Mistake.from_catalogue(mistakes, "softmax_whole_array"), whole)])


@pytest.mark.parametrize("kind", ["one_hot", "labels"])
def test_softmax_with_loss_backward(student, reference, mistakes, artifacts, kind):
    layers, ref = student("layers"), reference("layers")
    x, labels, one_hot = _scores(6)
    t = _targets(kind, labels, one_hot)
    cls, _ = resolve(layers, "SoftmaxWithLoss", "layers.py")
    layer = cls()
    _, error = attempt(layer.forward, x.copy(), t.copy())
    if error is None:
        result, error = attempt(layer.backward)
    if error is not None and kind == "labels":
        _labels_unsupported(mistakes, "SoftmaxWithLoss (forward, backward)", error)
    if error is not None:
        raise error
    dx = backward_dx(result, "SoftmaxWithLoss.backward()", artifacts=artifacts)
    expected = ref.SoftmaxWithLoss()
    expected.forward(x, t)
    y = ref.softmax(x)
    expect_array(dx, expected.backward(), f"SoftmaxWithLoss.backward() = (y - t) / N ({kind} t)",
                 rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "swl_backward_no_batch_division"),
                      y - one_hot),
                     (Mistake.from_catalogue(mistakes, "softmax_whole_array"),
                      (_whole_array_softmax(x) - one_hot) / N)])


def test_softmax_with_loss_gradient_check(student):
    layers = student("layers")
    x, _, one_hot = _scores(7)
    cls, _ = resolve(layers, "SoftmaxWithLoss", "layers.py")
    layer = cls()
    layer.forward(x.copy(), one_hot.copy())
    dx = backward_dx(layer.backward(), "SoftmaxWithLoss.backward()")
    probe = cls()
    numeric = numerical_gradient(lambda z: probe.forward(z, one_hot.copy()), x)
    expect_relative(dx, numeric,
                    "SoftmaxWithLoss.backward() against the numerical gradient of your forward",
                    max_error=WITH_LOG)


# ------------------------------------------------------------------ MeanSquaredError


def test_mse_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    rng = np.random.default_rng(8)
    y, t = rng.standard_normal((N, 2)), rng.standard_normal((N, 2))
    cls, _ = resolve(layers, "MeanSquaredError", "layers.py", artifacts=artifacts)
    expect_number(cls().forward(y.copy(), t.copy()), ref.MeanSquaredError().forward(y, t),
                  "MeanSquaredError.forward(y, t) = (1/N) Σ (y - t)^2", rtol=SMOOTH)


def test_mse_backward(student, mistakes, artifacts):
    layers = student("layers")
    rng = np.random.default_rng(9)
    y, t = rng.standard_normal((N, 2)), rng.standard_normal((N, 2))
    cls, _ = resolve(layers, "MeanSquaredError", "layers.py")
    layer = cls()
    layer.forward(y.copy(), t.copy())
    dx = backward_dx(layer.backward(), "MeanSquaredError.backward()", artifacts=artifacts)
    expect_array(dx, 2 * (y - t), "MeanSquaredError.backward() = 2 (y - t)", rtol=SMOOTH,
                 mistakes=[(Mistake.from_catalogue(mistakes, "mse_backward_mean"),
                            2 * (y - t) / N)])
