"""Hidden tests: AddLayer, MulLayer and the activation layers of scripts/layers.py.

Each layer is checked three ways, as separate criteria:

* forward against the reference, on generated inputs;
* backward against the reference (after a forward on the same inputs), naming known
  mistakes when the result matches one;
* backward against the numerical gradient of the student's *own* forward, so that a
  backward consistent with its forward earns its points even when the forward is wrong.

Inputs are always passed as copies (the book's Relu changes its argument in place).
Accepted variations (class-name aliases, a backward returning a tuple) are noted.
"""

import numpy as np

from checks import (Mistake, as_array, backward_dx, expect_array, expect_relative,
                    expect_tuple, numerical_gradient, resolve)

SMOOTH = 1e-7      # relative error allowed against the reference and the numerical gradient


def _data(seed, shape=(4, 5)):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng.standard_normal(shape)


def _away_from_zero(seed, shape=(4, 5)):
    """Inputs with |x| >= 0.1: the numerical derivative of ReLU is exact there."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def _make(layers, name, artifacts=None):
    cls, _ = resolve(layers, name, "layers.py", artifacts=artifacts)
    return cls


def _own_numerical(cls, x, dout):
    """d/dx Σ forward(x) * dout, from the student's own forward (a fresh layer)."""
    probe = cls()
    return numerical_gradient(
        lambda z: float(np.sum(as_array(probe.forward(z), "forward(x)") * dout)), x)


# ------------------------------------------------------------------ AddLayer


def test_add_layer_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, y = _data(1)
    node = _make(layers, "AddLayer", artifacts)()
    expect_array(node.forward(x.copy(), y.copy()), ref.AddLayer().forward(x, y),
                 "AddLayer.forward(x, y)", rtol=SMOOTH)


def test_add_layer_backward(student, artifacts):
    layers = student("layers")
    x, y = _data(2)
    dout = np.random.default_rng(3).standard_normal(x.shape)
    node = _make(layers, "AddLayer", artifacts)()
    node.forward(x.copy(), y.copy())
    dx, dy = expect_tuple(node.backward(dout.copy()), 2, "AddLayer.backward(dout)")
    expect_array(dx, dout, "AddLayer.backward(dout)[0] (dx)", rtol=SMOOTH)
    expect_array(dy, dout, "AddLayer.backward(dout)[1] (dy)", rtol=SMOOTH)


# ------------------------------------------------------------------ MulLayer


def test_mul_layer_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, y = _data(4)
    node = _make(layers, "MulLayer", artifacts)()
    expect_array(node.forward(x.copy(), y.copy()), ref.MulLayer().forward(x, y),
                 "MulLayer.forward(x, y)", rtol=SMOOTH)


def test_mul_layer_backward(student, reference, mistakes):
    layers, ref = student("layers"), reference("layers")
    x, y = _data(5)
    dout = np.random.default_rng(6).standard_normal(x.shape)
    node = _make(layers, "MulLayer")()
    node.forward(x.copy(), y.copy())
    result = expect_tuple(node.backward(dout.copy()), 2, "MulLayer.backward(dout)")
    expected = ref.MulLayer()
    expected.forward(x, y)
    dx, dy = expected.backward(dout)
    swapped = Mistake.from_catalogue(mistakes, "mul_backward_swapped")
    expect_array(result[0], dx, "MulLayer.backward(dout)[0] (dx = dout * y)", rtol=SMOOTH,
                 mistakes=[(swapped, dout * x)])
    expect_array(result[1], dy, "MulLayer.backward(dout)[1] (dy = dout * x)", rtol=SMOOTH,
                 mistakes=[(swapped, dout * y)])


def test_mul_layer_gradient_check(student):
    layers = student("layers")
    x, y = _data(7, (3, 4))
    dout = np.random.default_rng(8).standard_normal(x.shape)
    cls = _make(layers, "MulLayer")
    node = cls()
    node.forward(x.copy(), y.copy())
    result = expect_tuple(node.backward(dout.copy()), 2, "MulLayer.backward(dout)")
    probe = cls()
    numeric_x = numerical_gradient(
        lambda z: float(np.sum(as_array(probe.forward(z, y.copy()), "forward") * dout)), x)
    numeric_y = numerical_gradient(
        lambda z: float(np.sum(as_array(probe.forward(x.copy(), z), "forward") * dout)), y)
    expect_relative(result[0], numeric_x,
                    "MulLayer.backward: dx against the numerical gradient of your forward",
                    max_error=SMOOTH)
    expect_relative(result[1], numeric_y,
                    "MulLayer.backward: dy against the numerical gradient of your forward",
                    max_error=SMOOTH)


# ------------------------------------------------------------------ Relu


def _relu_input(seed):
    x, _ = _data(seed)
    x[0, :2] = 0.0  # ReLU'(0) = 0: the book's mask is x <= 0
    x[1, 3] = -0.0
    return x


def test_relu_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    x = _relu_input(9)
    node = _make(layers, "Relu", artifacts)()
    expect_array(node.forward(x.copy()), ref.Relu().forward(x), "Relu.forward(x)", rtol=SMOOTH)


def test_relu_backward(student, reference, mistakes, artifacts):
    layers, ref = student("layers"), reference("layers")
    x = _relu_input(10)
    dout = np.random.default_rng(11).standard_normal(x.shape)
    node = _make(layers, "Relu")()
    node.forward(x.copy())
    dx = backward_dx(node.backward(dout.copy()), "Relu.backward(dout)", artifacts=artifacts)
    expected = ref.Relu()
    expected.forward(x)
    expect_array(dx, expected.backward(dout), "Relu.backward(dout) (0 where x <= 0)",
                 rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "relu_gradient_at_zero"),
                      dout * (x >= 0))])


def test_relu_gradient_check(student):
    layers = student("layers")
    x = _away_from_zero(12)
    dout = np.random.default_rng(13).standard_normal(x.shape)
    cls = _make(layers, "Relu")
    node = cls()
    node.forward(x.copy())
    dx = backward_dx(node.backward(dout.copy()), "Relu.backward(dout)")
    expect_relative(dx, _own_numerical(cls, x, dout),
                    "Relu.backward against the numerical gradient of your forward",
                    max_error=SMOOTH)


# ------------------------------------------------------------------ Sigmoid


def test_sigmoid_function(student, reference):
    layers, ref = student("layers"), reference("layers")
    x, _ = _data(14)
    x *= 4
    function, _ = resolve(layers, "sigmoid", "layers.py")
    expect_array(function(x.copy()), ref.sigmoid(x), "sigmoid(x)", rtol=SMOOTH)


def test_sigmoid_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, _ = _data(15)
    node = _make(layers, "Sigmoid", artifacts)()
    expect_array(node.forward(x.copy()), ref.Sigmoid().forward(x), "Sigmoid.forward(x)",
                 rtol=SMOOTH)


def test_sigmoid_backward(student, reference, mistakes, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, dout = _data(16)
    node = _make(layers, "Sigmoid")()
    node.forward(x.copy())
    dx = backward_dx(node.backward(dout.copy()), "Sigmoid.backward(dout)", artifacts=artifacts)
    expected = ref.Sigmoid()
    y = expected.forward(x)
    expect_array(dx, expected.backward(dout), "Sigmoid.backward(dout) = dout * y (1 - y)",
                 rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "sigmoid_derivative_sigma"), dout * y)])


def test_sigmoid_gradient_check(student):
    layers = student("layers")
    x, dout = _data(17)
    cls = _make(layers, "Sigmoid")
    node = cls()
    node.forward(x.copy())
    dx = backward_dx(node.backward(dout.copy()), "Sigmoid.backward(dout)")
    expect_relative(dx, _own_numerical(cls, x, dout),
                    "Sigmoid.backward against the numerical gradient of your forward",
                    max_error=SMOOTH)


# ------------------------------------------------------------------ Tanh


def test_tanh_forward(student, reference, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, _ = _data(18)
    node = _make(layers, "Tanh", artifacts)()
    expect_array(node.forward(x.copy()), ref.Tanh().forward(x), "Tanh.forward(x)", rtol=SMOOTH)


def test_tanh_backward(student, reference, mistakes, artifacts):
    layers, ref = student("layers"), reference("layers")
    x, dout = _data(19)
    node = _make(layers, "Tanh")()
    node.forward(x.copy())
    dx = backward_dx(node.backward(dout.copy()), "Tanh.backward(dout)", artifacts=artifacts)
    expected = ref.Tanh()
    expected.forward(x)
    expect_array(dx, expected.backward(dout), "Tanh.backward(dout) = dout * (1 - y^2)",
                 rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "tanh_backward_uses_input"),
                      dout * (1 - x ** 2))])


def test_tanh_gradient_check(student):
    layers = student("layers")
    x, dout = _data(20)
    cls = _make(layers, "Tanh")
    node = cls()
    node.forward(x.copy())
    dx = backward_dx(node.backward(dout.copy()), "Tanh.backward(dout)")
    expect_relative(dx, _own_numerical(cls, x, dout),
                    "Tanh.backward against the numerical gradient of your forward",
                    max_error=SMOOTH)
