"""公開テスト: Affine, softmax, SoftmaxWithLoss / Public tests: Affine and the loss layer."""

import numpy as np

from checks import (GRADIENT_NAMES, backward_dx, expect_array, expect_number, find_attribute,
                    resolve)


def test_affine(student):
    cls, _ = resolve(student("layers"), "Affine", "layers.py")
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    b = np.array([0.5, 0.0, -0.5])
    layer = cls(W.copy(), b.copy())
    x = np.array([[1.0, 1.0], [0.0, 2.0]])
    expect_array(layer.forward(x.copy()), x @ W + b, "Affine.forward(x) = x W + b")
    dout = np.array([[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]])
    dx = backward_dx(layer.backward(dout.copy()), "Affine.backward(dout)")
    expect_array(dx, dout @ W.T, "Affine.backward(dout) = dout W^T")
    dW, _ = find_attribute(layer, GRADIENT_NAMES["dW"], "Affine.dW")
    db, _ = find_attribute(layer, GRADIENT_NAMES["db"], "Affine.db")
    expect_array(dW, x.T @ dout, "Affine.dW = x^T dout")
    expect_array(db, dout.sum(axis=0), "Affine.db = Σ_rows dout (バッチ方向の和 / sum over rows)")


def test_softmax(student):
    softmax, _ = resolve(student("layers"), "softmax", "layers.py")
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
    e = np.exp([1.0, 2.0, 3.0])
    expect_array(softmax(x.copy()), [e / e.sum(), [1 / 3, 1 / 3, 1 / 3]],
                 "softmax(x) (行ごと、大きな値でも / per row, even for large values)")


def test_softmax_with_loss(student):
    cls, _ = resolve(student("layers"), "SoftmaxWithLoss", "layers.py")
    layer = cls()
    x = np.zeros((2, 2))
    t = np.array([[1.0, 0.0], [0.0, 1.0]])
    expect_number(layer.forward(x.copy(), t.copy()), -np.log(0.5 + 1e-7),
                  "SoftmaxWithLoss.forward(zeros, t)", rtol=1e-9)
    dx = backward_dx(layer.backward(), "SoftmaxWithLoss.backward()")
    expect_array(dx, [[-0.25, 0.25], [0.25, -0.25]],
                 "SoftmaxWithLoss.backward() = (y - t) / N (N = 2)")
