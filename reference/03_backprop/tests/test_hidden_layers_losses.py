"""Hidden tests: softmax, cross_entropy_error, SoftmaxWithLoss and MeanSquaredError.

One root cause costs once:

* softmax is one test (ordinary values, then no overflow for large inputs);
* cross_entropy_error is one test, over one-hot and label targets (parametrized);
* SoftmaxWithLoss is judged on its own: a layer built on the student's own softmax and
  cross_entropy_error passes when it gives what they give (their mistakes count in
  their own tests), and its backward passes when it is (y - t) / N for the student's
  own y, or the numerical gradient of its own forward;
* MeanSquaredError: every convention the slides show is accepted and recognised
  (``mse_loss``: ½Σ, ½(1/N)Σ, (1/N)Σ, np.mean; ``mse_backward``: the gradient of the
  forward, or each sample's own derivative as deck 004 writes it).

The ``+ 1e-7`` inside the log is in the kit, not on the slides (003 「交差エントロピー
誤差」): a loss with it and a loss without it are both accepted.
"""

import math

import numpy as np
import pytest

from checks import (Mistake, as_array, as_number, attempt, backward_dx, error_text, expect,
                    expect_array, expect_number, expect_relative, label, numerical_gradient,
                    relative_error, resolve)

SMOOTH = 1e-7
WITH_LOG = 1e-4    # numerical check through log(y + 1e-7)
N, C = 5, 4


def _scores(seed, scale=2.0):
    rng = np.random.default_rng(seed)
    x = scale * rng.standard_normal((N, C))
    labels = rng.integers(0, C, N)
    return x, labels, np.eye(C)[labels]


def _cross_entropies(y, labels):
    """The batch mean of -log y[t], with the kit's + 1e-7 inside the log and without it
    (the slide's formula): both are right."""
    picked = y[np.arange(len(labels)), labels]
    return [float(-np.mean(np.log(picked + 1e-7))), float(-np.mean(np.log(picked)))]


def _accepted(value, candidates):
    return any(math.isclose(value, c, rel_tol=SMOOTH) for c in candidates if c is not None)


def _whole_array_softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def _targets(kind, labels, one_hot):
    return one_hot if kind == "one_hot" else labels


def _named(what, kind):
    """``what`` with the kind of target t, in both languages."""
    return label(f"{what} ({'one-hot' if kind == 'one_hot' else 'ラベル'} の t)",
                 f"{what} ({'one-hot' if kind == 'one_hot' else 'label'} t)")


def _how(error):
    """How the student's code failed, in both languages: in grading the form a hidden test
    may show (the exception's values masked), on a laptop the exception itself."""
    for text in (getattr(error, "withheld", None), getattr(error, "message", None)):
        if isinstance(text, dict) and text.get("ja") and text.get("en"):
            return text["ja"], text["en"]
    return error_text(error), error_text(error)


def _labels_unsupported(mistakes, what, error):
    ja, en = _how(error)
    expect(False, f"{what} がラベル形式の t (形 (N,)) でエラーになりました: {ja}",
           f"{what} fails with label targets t of shape (N,): {en}",
           Mistake.from_catalogue(mistakes, "labels_unsupported"))


def _quietly(function, *args):
    """What the student's function returns, as an array, or None when it fails."""
    try:
        return np.asarray(function(*args), dtype=float)
    except Exception:  # noqa: BLE001 - used only to accept more
        return None


def _own_parts(layers, x, t):
    """(the student's softmax(x), their cross_entropy_error of it), None where they fail."""
    try:
        softmax, _ = resolve(layers, "softmax", "layers.py")
        error, _ = resolve(layers, "cross_entropy_error", "layers.py")
    except AssertionError:
        return None, None
    y = _quietly(softmax, x.copy())
    if y is None:
        return None, None
    loss = _quietly(error, y.copy(), t.copy())
    return y, (float(loss) if loss is not None and loss.size == 1 else None)


# ------------------------------------------------------------------ softmax


def test_softmax(student, reference, mistakes):
    """Each row sums to 1; then no overflow: softmax(x + 1000) = softmax(x)."""
    layers, ref = student("layers"), reference("layers")
    x, _, _ = _scores(1)
    softmax, _ = resolve(layers, "softmax", "layers.py")
    result = expect_array(softmax(x.copy()), ref.softmax(x),
                          label("softmax(x) (各行の和が 1)", "softmax(x) (each row sums to 1)"),
                          rtol=SMOOTH, mistakes=[
                              (Mistake.from_catalogue(mistakes, "softmax_whole_array"),
                               _whole_array_softmax(x))])
    large, error = attempt(softmax, x + 1000.0)
    values = None if error is not None else _quietly(np.asarray, large)
    expect(values is not None and values.shape == result.shape
           and bool(np.all(np.isfinite(values))),
           "softmax(x) が大きな入力 (1000 など) で NaN/inf になりました。exp がオーバーフロー"
           "しています。",
           "softmax(x) gives NaN/inf for large inputs (such as 1000): exp overflows.",
           Mistake.from_catalogue(mistakes, "softmax_no_max_shift"))
    expect_array(values, result, label("softmax(x + 1000) (softmax(x) と同じになるはず)",
                                       "softmax(x + 1000) (must equal softmax(x))"),
                 rtol=1e-6)


# ------------------------------------------------------------------ cross entropy


@pytest.mark.parametrize("kind", ["one_hot", "labels"])
def test_cross_entropy_error(student, reference, mistakes, kind):
    layers, ref = student("layers"), reference("layers")
    x, labels, one_hot = _scores(3)
    t = _targets(kind, labels, one_hot)
    y = ref.softmax(x)
    function, _ = resolve(layers, "cross_entropy_error", "layers.py")
    result, error = attempt(function, y.copy(), t.copy())
    if error is not None and kind == "labels":
        _labels_unsupported(mistakes, "cross_entropy_error(y, t)", error)
    if error is not None:
        raise error
    accepted = _cross_entropies(y, labels)
    value = as_number(result, "cross_entropy_error(y, t)")
    if not _accepted(value, accepted):
        sums = Mistake.from_catalogue(mistakes, "cee_no_batch_mean")
        expect_number(value, accepted[0], _named("cross_entropy_error(y, t)", kind),
                      rtol=SMOOTH, batch=N, mistakes=[(sums, a * N) for a in accepted])


# ------------------------------------------------------------------ SoftmaxWithLoss


def _forward(layers, mistakes, cls, x, t, kind):
    """A fresh layer after forward(x, t), and its loss; None when the label case cannot
    be judged because the student's own cross_entropy_error rejects labels."""
    layer = cls()
    loss, error = attempt(layer.forward, x.copy(), t.copy())
    if error is None:
        return layer, loss
    if kind == "labels":
        _, own = _own_parts(layers, x, t)
        if own is None:
            return None, None   # cross_entropy_error's own test names it
        _labels_unsupported(mistakes, "SoftmaxWithLoss.forward(x, t)", error)
    raise error


@pytest.mark.parametrize("kind", ["one_hot", "labels"])
def test_softmax_with_loss_forward(student, reference, mistakes, artifacts, kind):
    layers, ref = student("layers"), reference("layers")
    x, labels, one_hot = _scores(5)
    t = _targets(kind, labels, one_hot)
    cls, _ = resolve(layers, "SoftmaxWithLoss", "layers.py", artifacts=artifacts)
    layer, loss = _forward(layers, mistakes, cls, x, t, kind)
    if layer is None:
        return
    value = as_number(loss, "SoftmaxWithLoss.forward(x, t)")
    accepted = _cross_entropies(ref.softmax(x), labels)
    if _accepted(value, accepted) or _accepted(value, [_own_parts(layers, x, t)[1]]):
        return  # right, or built on the student's own functions (whose tests judge them)
    whole = -np.sum(np.log(_whole_array_softmax(x)[np.arange(N), labels] + 1e-7)) / N
    expect_number(value, accepted[0], _named("SoftmaxWithLoss.forward(x, t)", kind),
                  rtol=SMOOTH, batch=N, mistakes=[
                      (Mistake.from_catalogue(mistakes, "cee_no_batch_mean"), accepted[0] * N),
                      (Mistake.from_catalogue(mistakes, "softmax_whole_array"), whole)])


@pytest.mark.parametrize("kind", ["one_hot", "labels"])
def test_softmax_with_loss_backward(student, reference, mistakes, artifacts, kind):
    """(y - t) / N for the reference's y or the student's own softmax(x), or the
    numerical gradient of the student's own forward."""
    layers, ref = student("layers"), reference("layers")
    x, labels, one_hot = _scores(6)
    t = _targets(kind, labels, one_hot)
    cls, _ = resolve(layers, "SoftmaxWithLoss", "layers.py")
    layer, _ = _forward(layers, mistakes, cls, x, t, kind)
    if layer is None:
        return
    result, error = attempt(layer.backward)
    if error is not None and kind == "labels":
        _labels_unsupported(mistakes, "SoftmaxWithLoss.backward()", error)
    if error is not None:
        raise error
    dx = as_array(backward_dx(result, "SoftmaxWithLoss.backward()", artifacts=artifacts),
                  "SoftmaxWithLoss.backward()")
    expected = ref.SoftmaxWithLoss()
    expected.forward(x, t)
    reference_dx = expected.backward()
    own_y, _ = _own_parts(layers, x, t)
    candidates = [reference_dx]
    if own_y is not None and own_y.shape == one_hot.shape:
        candidates.append((own_y - one_hot) / N)
    if any(dx.shape == c.shape and np.all(np.isfinite(dx)) and relative_error(dx, c) <= SMOOTH
           for c in candidates):
        return
    if kind == "one_hot":
        probe = cls()
        own = numerical_gradient(lambda z: probe.forward(z, one_hot.copy()), x)
        if dx.shape == own.shape and relative_error(dx, own) <= WITH_LOG:
            return
    y = ref.softmax(x)
    expect_array(dx, reference_dx, _named("SoftmaxWithLoss.backward() = (y - t) / N", kind),
                 rtol=SMOOTH, batch=N, mistakes=[
                     (Mistake.from_catalogue(mistakes, "swl_backward_no_batch_division"),
                      y - one_hot),
                     (Mistake.from_catalogue(mistakes, "softmax_whole_array"),
                      (_whole_array_softmax(x) - one_hot) / N)])


# ------------------------------------------------------------------ MeanSquaredError

MSE_N, MSE_K = 5, 3   # batch and outputs: every accepted loss gives a different value
MSE_LOSSES = {"half_sum": 0.5, "half_mean": 0.5 / MSE_N, "mean": 1 / MSE_N,
              "np_mean": 1 / (MSE_N * MSE_K)}


def _mse_data(seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((MSE_N, MSE_K)), rng.standard_normal((MSE_N, MSE_K))


def test_mse_forward(student, artifacts, conventions):
    """Any loss the slides show: ½Σ (002), ½(1/N)Σ (002's mini-batch mean), (1/N)Σ (004),
    np.mean over all elements; the one used is recognised."""
    layers = student("layers")
    y, t = _mse_data(8)
    cls, _ = resolve(layers, "MeanSquaredError", "layers.py", artifacts=artifacts)
    value = as_number(cls().forward(y.copy(), t.copy()), "MeanSquaredError.forward(y, t)")
    total = float(np.sum((y - t) ** 2))
    for name, factor in MSE_LOSSES.items():
        if math.isclose(value, factor * total, rel_tol=SMOOTH):
            conventions.recognised("mse_loss", name)
            return
    # Compared with the nearest of the slides' losses: the message names the likeliest slip.
    nearest = min(MSE_LOSSES.values(), key=lambda f: abs(math.log(value / (f * total)))) \
        if value > 0 else MSE_LOSSES["mean"]
    expect_number(value, nearest * total, label(
        "MeanSquaredError.forward(y, t) (½Σ, ½(1/N)Σ, (1/N)Σ, np.mean のどれとも違う)",
        "MeanSquaredError.forward(y, t) (none of ½Σ, ½(1/N)Σ, (1/N)Σ, np.mean)"),
        rtol=SMOOTH, batch=MSE_N)


def _slides_backward(dy, y, t, probe):
    """When forward is none of the slides' losses (test_mse_forward charges that), a
    backward that is one of the slides' derivatives is right on its own: judged against
    the wrong forward it would cost the same mistake twice."""
    value = as_number(probe.forward(y.copy(), t.copy()), "MeanSquaredError.forward")
    total = float(np.sum((y - t) ** 2))
    if any(math.isclose(value, factor * total, rel_tol=SMOOTH)
           for factor in MSE_LOSSES.values()):
        return False  # forward is right, so backward must be its gradient
    diff = y - t
    forms = (diff, diff / MSE_N, 2 * diff / MSE_N, 2 * diff / (MSE_N * MSE_K), 2 * diff,
             2 * diff / MSE_K)  # the gradients of MSE_LOSSES, over the batch or per sample
    return any(dy.shape == form.shape and relative_error(dy, form) <= 1e-6 for form in forms)


def test_mse_backward(student, conventions):
    """backward() is the numerical gradient of the student's own forward (over the
    batch), or each sample's own derivative (deck 004: no sum, no mean); when forward is
    wrong, one of the slides' derivatives (:func:`_slides_backward`)."""
    layers = student("layers")
    y, t = _mse_data(9)
    cls, _ = resolve(layers, "MeanSquaredError", "layers.py")
    layer = cls()
    layer.forward(y.copy(), t.copy())
    dy = as_array(backward_dx(layer.backward(), "MeanSquaredError.backward()"),
                  "MeanSquaredError.backward()")
    probe = cls()
    whole = numerical_gradient(
        lambda z: as_number(probe.forward(z, t.copy()), "MeanSquaredError.forward"), y)
    if dy.shape == whole.shape and relative_error(dy, whole) <= 1e-6:
        conventions.recognised("mse_backward", "gradient")
        return
    each = np.array([numerical_gradient(
        lambda z, i=i: as_number(probe.forward(z[None], t[i:i + 1].copy()),
                                 "MeanSquaredError.forward"), y[i]) for i in range(MSE_N)])
    if dy.shape == each.shape and relative_error(dy, each) <= 1e-6:
        conventions.recognised("mse_backward", "per_sample")
        return
    if _slides_backward(dy, y, t, probe):
        return
    expect_relative(dy, whole, label(
        "MeanSquaredError.backward() と自分の forward の数値微分",
        "MeanSquaredError.backward() against the numerical gradient of your forward"),
        max_error=1e-6, batch=MSE_N)
