"""公開テスト: scripts/layers.py の単純なノードと活性化関数 / Public tests: nodes, activations.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import numpy as np

from checks import backward_dx, expect_array, expect_number, expect_tuple, resolve


def _layer(student, name):
    cls, _ = resolve(student("layers"), name, "layers.py")
    return cls()


def test_mul_layer_apple(student):
    """りんごの買い物 (スライドの例): 100 円 x 2 個 x 消費税 1.1 / the slides' apple example."""
    mul_apple, mul_tax = _layer(student, "MulLayer"), _layer(student, "MulLayer")
    price = mul_tax.forward(mul_apple.forward(100.0, 2.0), 1.1)
    expect_number(price, 220.0, "MulLayer: 100 * 2 * 1.1", rtol=1e-9)
    d_apple_price, d_tax = expect_tuple(mul_tax.backward(1.0), 2, "MulLayer.backward(1)")
    d_apple, d_num = expect_tuple(mul_apple.backward(d_apple_price), 2, "MulLayer.backward")
    expect_number(d_apple, 2.2, "d price / d apple", rtol=1e-9)
    expect_number(d_num, 110.0, "d price / d apple_num", rtol=1e-9)
    expect_number(d_tax, 200.0, "d price / d tax", rtol=1e-9)


def test_add_layer(student):
    add = _layer(student, "AddLayer")
    expect_number(add.forward(2.0, 3.0), 5.0, "AddLayer.forward(2, 3)")
    dx, dy = expect_tuple(add.backward(1.5), 2, "AddLayer.backward(1.5)")
    expect_number(dx, 1.5, "AddLayer.backward(1.5)[0]")
    expect_number(dy, 1.5, "AddLayer.backward(1.5)[1]")


def test_relu(student):
    relu = _layer(student, "Relu")
    x = np.array([[1.0, -0.5], [0.0, 3.0]])
    expect_array(relu.forward(x.copy()), [[1.0, 0.0], [0.0, 3.0]], "Relu.forward(x)")
    dx = backward_dx(relu.backward(np.ones((2, 2))), "Relu.backward(dout)")
    expect_array(dx, [[1.0, 0.0], [0.0, 1.0]],
                 "Relu.backward(ones) (x <= 0 では 0 / 0 where x <= 0, ReLU'(0) = 0)")


def test_sigmoid(student):
    sigmoid = _layer(student, "Sigmoid")
    x = np.array([[0.0, 2.0]])
    y = 1 / (1 + np.exp(-x))
    expect_array(sigmoid.forward(x.copy()), y, "Sigmoid.forward(x)")
    dx = backward_dx(sigmoid.backward(np.ones((1, 2))), "Sigmoid.backward(dout)")
    expect_array(dx, y * (1 - y), "Sigmoid.backward(ones) = y (1 - y)")


def test_tanh(student):
    tanh = _layer(student, "Tanh")
    x = np.array([[0.0, 0.5, -1.0]])
    y = np.tanh(x)
    expect_array(tanh.forward(x.copy()), y, "Tanh.forward(x)")
    dx = backward_dx(tanh.backward(np.ones((1, 3))), "Tanh.backward(dout)")
    expect_array(dx, 1 - y ** 2, "Tanh.backward(ones) = 1 - y^2")
