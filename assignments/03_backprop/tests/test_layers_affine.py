"""公開テスト: Affine レイヤ / Public test: the Affine layer.

x は 3 x 2、W は 2 x 4 (どれも正方でない) / x is 3 x 2 and W is 2 x 4 (none square).
"""

import numpy as np

from checks import (GRADIENT_NAMES, backward_dx, expect_array, find_attribute, label,
                    resolve)


def test_affine(student):
    cls, _ = resolve(student("layers"), "Affine", "layers.py")
    W = np.array([[1.0, 0.0, -1.0, 2.0], [2.0, 1.0, 0.0, -0.5]])
    b = np.array([0.5, 0.0, -0.5, 1.0])
    layer = cls(W.copy(), b.copy())
    x = np.array([[1.0, 1.0], [0.0, 2.0], [-1.0, 0.5]])
    expect_array(layer.forward(x.copy()), x @ W + b, "Affine.forward(x) = x W + b")
    dout = np.array([[1.0, 0.0, 1.0, 2.0], [0.0, 2.0, 0.0, -1.0], [0.5, 1.0, -1.0, 0.0]])
    dx = backward_dx(layer.backward(dout.copy()), "Affine.backward(dout)")
    expect_array(dx, dout @ W.T, "Affine.backward(dout) = dout W^T")
    dW, _ = find_attribute(layer, GRADIENT_NAMES["dW"], "Affine.dW")
    db, _ = find_attribute(layer, GRADIENT_NAMES["db"], "Affine.db")
    expect_array(dW, x.T @ dout, "Affine.dW = x^T dout", batch=3)
    expect_array(db, dout.sum(axis=0), label("Affine.db = Σ dout (バッチ方向の和)",
                                             "Affine.db = Σ dout (sum over the batch)"), batch=3)
    images = x.reshape(3, 1, 2)   # (N, C, W): forward reshapes it to (N, -1)
    layer = cls(W.copy(), b.copy())
    expect_array(layer.forward(images.copy()), x @ W + b,
                 label("Affine.forward(x) (x の形は (3, 1, 2)、(N, -1) に変形)",
                       "Affine.forward(x) with x of shape (3, 1, 2) (reshape to (N, -1))"))
    dx = backward_dx(layer.backward(dout.copy()), "Affine.backward(dout)")
    expect_array(dx, (dout @ W.T).reshape(3, 1, 2),
                 label("Affine.backward(dout) (x と同じ形 (3, 1, 2))",
                       "Affine.backward(dout) (in the shape of x, (3, 1, 2))"))
