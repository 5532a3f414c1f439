"""公開テスト: Layer (小さな例) / Public tests: the Layer class on small examples."""

import numpy as np

from checks import backward_dx, expect, expect_array, find_attribute, resolve

WEIGHT_NAMES, BIAS_NAMES = ("W", "w", "weight", "weights"), ("b", "bias")


def _new(student, *args):
    cls, _ = resolve(student("function_approximation"), "Layer", "function_approximation.py")
    return cls(*args)


def _parameters(layer):
    W, weight = find_attribute(layer, WEIGHT_NAMES, "Layer.W")
    b, bias = find_attribute(layer, BIAS_NAMES, "Layer.b")
    return W, b, weight, bias


def _layer(student, activation, lr=0.1):
    layer = _new(student, 2, 2, activation, lr, np.random.default_rng(0))
    _, _, weight, bias = _parameters(layer)
    setattr(layer, weight, np.array([[1.0, -1.0], [2.0, 0.5]]))
    setattr(layer, bias, np.array([0.0, 0.5]))
    return layer


def test_layer_init_shapes(student):
    W, b, _, _ = _parameters(_new(student, 3, 5, "relu", 0.01, np.random.default_rng(0)))
    expect(np.shape(W) == (3, 5) and np.shape(b) == (5,),
           f"Layer(3, 5) の W, b の形が {np.shape(W)}, {np.shape(b)} です。",
           f"Layer(3, 5) has W, b of shapes {np.shape(W)}, {np.shape(b)}.")


def test_layer_forward(student):
    layer = _layer(student, "relu")
    v = np.array([[1.0, 1.0], [1.0, -1.0]])
    # u = v W + b = [[3, 0], [-1, -1]] -> ReLU
    expect_array(layer.forward(v.copy()), [[3.0, 0.0], [0.0, 0.0]], "Layer.forward(v)")


def test_layer_backward(student):
    """u = [[3, 0], [-1, -1]]: only u[0, 0] > 0 passes the gradient (ReLU'(0) = 0)."""
    layer = _layer(student, "relu", lr=0.1)
    v = np.array([[1.0, 1.0], [1.0, -1.0]])
    layer.forward(v.copy())
    returned = backward_dx(layer.backward(np.ones((2, 2))), "Layer.backward(g)")
    # delta = [[1, 0], [0, 0]]; delta W^T with the old W = [[1, 2], [0, 0]]
    expect_array(returned, [[1.0, 2.0], [0.0, 0.0]],
                 "Layer.backward(g) (更新前の W で / with W before the update)")
    W, b, _, _ = _parameters(layer)
    expect_array(W, [[0.9, -1.0], [1.9, 0.5]], "Layer.W after backward (W - lr v^T delta)")
    expect_array(b, [-0.1, 0.5], "Layer.b after backward (b - lr Σ delta)")
