"""Hidden tests: the Affine layer of scripts/layers.py.

One test per part, so that one mistake costs one test: forward (2-D and image-shaped
input), dx (in the input's shape), and the parameter gradients dW and db together (a
mistake such as dividing both by N is one mistake). The backward tests are
self-consistency first: a gradient that is the numerical gradient of the student's own
forward passes, and so does the reference's value. Gradients stored under other
attribute names, and a backward returning ``(dx, dW, db)``, are accepted and noted.
"""

import numpy as np

from checks import (GRADIENT_NAMES, Mistake, as_array, attempt, backward_dx, expect_array,
                    expect_relative, find_attribute, label, numerical_gradient,
                    relative_error, resolve)

SMOOTH = 1e-7
N, D, M = 6, 4, 3  # batch, inputs, outputs: all different, so a wrong axis shows


def _setup(seed, x_shape=(N, D)):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape)
    features = int(np.prod(x_shape[1:]))
    W, b = rng.standard_normal((features, M)), rng.standard_normal(M)
    dout = rng.standard_normal((x_shape[0], M))
    return x, W, b, dout


def _affine(layers, W, b, artifacts=None):
    cls, _ = resolve(layers, "Affine", "layers.py", artifacts=artifacts)
    return cls(W.copy(), b.copy())


def _backward(layer, x, dout):
    """Forward then backward; returns what backward returned."""
    layer.forward(x.copy())
    return layer.backward(dout.copy())


def _parameter_gradient(layer, result, name, artifacts=None):
    """``dW`` or ``db``: from the attribute (accepted names), else from a returned
    ``(dx, dW, db)``."""
    try:
        value, _ = find_attribute(layer, GRADIENT_NAMES[name], f"Affine.{name}",
                                  artifacts=artifacts)
        return value
    except AssertionError:
        if isinstance(result, (tuple, list)) and len(result) == 3:
            if artifacts is not None:
                artifacts.note("gradients", "returned", {
                    "ja": f"{name} を属性ではなく backward の戻り値から読みました"
                          "(許容しています)。",
                    "en": f"Read {name} from backward's return value, not an attribute "
                          "(accepted)."})
            return result[1 if name == "dW" else 2]
        raise


def _close(value, expected):
    value = np.asarray(value, dtype=float)
    return value.shape == np.shape(expected) and bool(np.all(np.isfinite(value))) and \
        relative_error(value, expected) <= SMOOTH


def test_affine_forward(student, reference, artifacts):
    """x W + b, for 2-D input and for image-shaped input reshaped to (N, -1)."""
    layers, ref = student("layers"), reference("layers")
    x, W, b, _ = _setup(1)
    expect_array(_affine(layers, W, b, artifacts).forward(x.copy()),
                 ref.Affine(W, b).forward(x), "Affine.forward(x) = x W + b", rtol=SMOOTH)
    x, W, b, _ = _setup(2, x_shape=(N, 2, 3, 2))
    expect_array(_affine(layers, W, b).forward(x.copy()), ref.Affine(W, b).forward(x),
                 label("Affine.forward(x) (x の形は (N, 2, 3, 2)、(N, -1) に変形)",
                       "Affine.forward(x) with x of shape (N, 2, 3, 2) (reshape to (N, -1))"),
                 rtol=SMOOTH)


def test_affine_backward_dx(student, reference, mistakes, artifacts):
    """dx = dout W^T in the shape of the input, here images (N, 2, 3, 2). A forward that
    cannot take images (its own test says so) is given 2-D input instead, so that a
    mistake of forward is not counted here again."""
    layers, ref = student("layers"), reference("layers")
    x, W, b, dout = _setup(3, x_shape=(N, 2, 3, 2))
    layer = _affine(layers, W, b)
    _, error = attempt(layer.forward, x.copy())
    if error is not None:
        x = x.reshape(N, -1)
        layer = _affine(layers, W, b)
    dx = backward_dx(_backward(layer, x, dout), "Affine.backward(dout)", artifacts=artifacts)
    expected = ref.Affine(W, b)
    expected.forward(x)
    reference_dx = expected.backward(dout)
    if _close(as_array(dx, "Affine.backward(dout)"), reference_dx):
        return
    cls, _ = resolve(layers, "Affine", "layers.py")
    probe = cls(W.copy(), b.copy())
    own = numerical_gradient(
        lambda z: float(np.sum(as_array(probe.forward(z), "Affine.forward") * dout)), x)
    if _close(dx, own):
        return
    expect_array(dx, reference_dx,
                 label("Affine.backward(dout) = dout W^T (x と同じ形)",
                       "Affine.backward(dout) = dout W^T (in the shape of x)"), rtol=SMOOTH,
                 mistakes=[(Mistake.from_catalogue(mistakes, "affine_dx_shape"), dout @ W.T)])


def test_affine_backward_dW_db(student, mistakes, artifacts):
    """dW = x^T dout and db = Σ_rows dout, or the numerical gradients of the student's
    own forward; one test for both, so dividing both by N costs once."""
    layers = student("layers")
    x, W, b, dout = _setup(4)
    layer = _affine(layers, W, b)
    result = _backward(layer, x, dout)
    dW = as_array(_parameter_gradient(layer, result, "dW", artifacts), "Affine.dW")
    db = as_array(_parameter_gradient(layer, result, "db", artifacts), "Affine.db")
    if _close(dW, x.T @ dout) and _close(db, dout.sum(axis=0)):
        return
    cls, _ = resolve(layers, "Affine", "layers.py")

    def total(W_in, b_in):
        return float(np.sum(as_array(cls(W_in, b_in).forward(x.copy()), "Affine.forward")
                            * dout))

    own_W = numerical_gradient(lambda z: total(z, b.copy()), W)
    own_b = numerical_gradient(lambda z: total(W.copy(), z), b)
    if _close(dW, own_W) and _close(db, own_b):
        return
    mean = Mistake.from_catalogue(mistakes, "affine_grad_mean")
    expect_relative(dW, x.T @ dout, "Affine.dW = x^T dout", max_error=SMOOTH, batch=N, mistakes=[
        (Mistake.from_catalogue(mistakes, "affine_dW_transposed"), dout.T @ x),
        (mean, x.T @ dout / N)])
    expect_relative(db, dout.sum(axis=0), label("Affine.db = Σ dout (バッチ方向の和)",
                                                "Affine.db = Σ dout (sum over the batch)"),
                    max_error=SMOOTH, batch=N, mistakes=[
                        (Mistake.from_catalogue(mistakes, "affine_db_wrong_axis"),
                         dout.sum(axis=1)),
                        (mean, dout.mean(axis=0))])
