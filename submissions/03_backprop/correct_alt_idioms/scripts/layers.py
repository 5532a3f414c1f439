"""計算グラフのレイヤ (別の書き方) / layers, written with other common idioms.

- class names: MultiplyLayer, ReLU, AffineLayer (aliases the course accepts)
- AffineLayer.backward returns (dx, dW, db) and also stores self.dW, self.db
- softmax with keepdims, cross-entropy via one-hot / labels branches
"""

import numpy as np


def sigmoid(x):
    # 数値的に安定な形: x >= 0 と x < 0 で式を分ける
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 1:
        y = y[np.newaxis, :]
        t = np.asarray(t).reshape(1, -1) if np.size(t) == y.size else np.asarray(t).reshape(1)
    t = np.asarray(t)
    n = y.shape[0]
    if t.shape == y.shape:  # one-hot
        return -np.sum(t * np.log(y + 1e-7)) / n
    labels = t.astype(int).reshape(-1)
    return -np.mean(np.log(y[np.arange(n), labels] + 1e-7))


class MultiplyLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout


class ReLU:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x > 0
        return np.where(self.mask, x, 0.0)

    def backward(self, dout):
        return dout * self.mask


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        y = self.out
        return dout * y * (1.0 - y)


class Tanh:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - np.square(self.out))


class AffineLayer:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = np.shape(x)
        self.x = np.reshape(x, (self.original_x_shape[0], -1))
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        dx = (dout @ self.W.T).reshape(self.original_x_shape)
        return dx, self.dW, self.db


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.y = softmax(x)
        self.t = np.asarray(t)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        y = self.y if self.y.ndim == 2 else self.y[np.newaxis, :]
        n, c = y.shape
        if self.t.size == y.size:
            t_onehot = self.t.reshape(n, c)
        else:
            t_onehot = np.eye(c)[self.t.astype(int).reshape(-1)]
        dx = dout * (y - t_onehot) / n
        return dx.reshape(self.y.shape)


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2 and backward 2 (y - t) (課題 02 と同じ)."""

    def __init__(self):
        self.diff = None
        self.loss = None

    def forward(self, y, t):
        self.diff = np.asarray(y, dtype=np.float64) - t
        n = len(self.diff) if self.diff.ndim > 0 else 1
        self.loss = float((self.diff ** 2).sum() / n)
        return self.loss

    def backward(self, dout=1):
        return 2.0 * self.diff * dout
