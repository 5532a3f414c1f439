"""Hidden tests: the Affine layer of scripts/layers.py.

Forward (2-D and image-shaped input), backward (dx, dW, db, each its own criterion) and
a gradient check of dx, dW and db against the numerical gradient of the student's own
forward. Gradients stored under other attribute names, and a backward returning
``(dx, dW, db)``, are accepted and noted.
"""

import numpy as np

from checks import (GRADIENT_NAMES, Mistake, as_array, backward_dx, expect_array,
                    expect_relative, find_attribute, numerical_gradient, resolve)

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


def test_affine_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, W, b, _ = _setup(1)
    expect_array(_affine(layers, W, b, artifacts).forward(x.copy()),
                 ref.Affine(W, b).forward(x), "Affine.forward(x) = x W + b", rtol=SMOOTH)


def test_affine_forward_reshapes_input(student, reference):
    layers, ref = student("layers"), reference("layers")
    x, W, b, _ = _setup(2, x_shape=(N, 2, 3, 2))
    expect_array(_affine(layers, W, b).forward(x.copy()), ref.Affine(W, b).forward(x),
                 "Affine.forward(x) with x of shape (N, 2, 3, 2) (reshape to (N, -1))",
                 rtol=SMOOTH)


def test_affine_backward_dx(student, reference, mistakes, artifacts):
    """dx has the shape of the input, here images (N, 2, 3, 2)."""
    layers, ref = student("layers"), reference("layers")
    x, W, b, dout = _setup(3, x_shape=(N, 2, 3, 2))
    layer = _affine(layers, W, b)
    dx = backward_dx(_backward(layer, x, dout), "Affine.backward(dout)", artifacts=artifacts)
    expected = ref.Affine(W, b)
    expected.forward(x)
    expect_array(dx, expected.backward(dout),
                 "Affine.backward(dout) = dout W^T, in the shape of x", rtol=SMOOTH,
                 mistakes=[(Mistake.from_catalogue(mistakes, "affine_dx_shape"), dout @ W.T)])


def test_affine_backward_dW(student, mistakes, artifacts):
    layers = student("layers")
    x, W, b, dout = _setup(4)
    layer = _affine(layers, W, b)
    dW = _parameter_gradient(layer, _backward(layer, x, dout), "dW", artifacts)
    expect_array(dW, x.T @ dout, "Affine.dW = x^T dout", rtol=SMOOTH, mistakes=[
        (Mistake.from_catalogue(mistakes, "affine_dW_transposed"), dout.T @ x),
        (Mistake.from_catalogue(mistakes, "affine_grad_mean"), x.T @ dout / N)])


def test_affine_backward_db(student, mistakes, artifacts):
    layers = student("layers")
    x, W, b, dout = _setup(5)
    layer = _affine(layers, W, b)
    db = _parameter_gradient(layer, _backward(layer, x, dout), "db", artifacts)
    expect_array(db, dout.sum(axis=0), "Affine.db = Σ_rows dout (sum over the batch)",
                 rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "affine_db_wrong_axis"), dout.sum(axis=1)),
                     (Mistake.from_catalogue(mistakes, "affine_grad_mean"), dout.mean(axis=0))])


def test_affine_gradient_check(student):
    """dx, dW and db against the numerical gradient of your own forward."""
    layers = student("layers")
    x, W, b, dout = _setup(6)
    cls, _ = resolve(layers, "Affine", "layers.py")
    layer = cls(W.copy(), b.copy())
    result = _backward(layer, x, dout)
    dx = backward_dx(result, "Affine.backward(dout)")
    dW = _parameter_gradient(layer, result, "dW")
    db = _parameter_gradient(layer, result, "db")

    def total(x_in, W_in, b_in):
        return float(np.sum(as_array(cls(W_in, b_in).forward(x_in), "Affine.forward") * dout))

    probe = cls(W.copy(), b.copy())
    numeric_x = numerical_gradient(
        lambda z: float(np.sum(as_array(probe.forward(z), "Affine.forward") * dout)), x)
    numeric_W = numerical_gradient(lambda z: total(x.copy(), z, b.copy()), W)
    numeric_b = numerical_gradient(lambda z: total(x.copy(), W.copy(), z), b)
    what = "against the numerical gradient of your forward"
    expect_relative(dx, numeric_x, f"Affine.backward (dx) {what}", max_error=SMOOTH)
    expect_relative(dW, numeric_W, f"Affine.dW {what}", max_error=SMOOTH)
    expect_relative(db, numeric_b, f"Affine.db {what}", max_error=SMOOTH)
