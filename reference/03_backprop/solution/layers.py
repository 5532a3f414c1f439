"""計算グラフのレイヤ (ゼロから作るDeep Learning 5 章) / Layers of the computational graph.

Reference solution. Each layer's ``forward`` keeps exactly what its ``backward`` needs;
``backward(dout)`` returns the gradient for the previous node. Batches are rows.
"""

import numpy as np


# ------------------------------------------------------------------ functions


def sigmoid(x):
    """σ(x) = 1 / (1 + exp(-x))."""
    return 1 / (1 + np.exp(-x))


def softmax(x):
    """Softmax of each row (or of a 1-D vector)."""
    x = x - np.max(x, axis=-1, keepdims=True)  # the max shift: exp never overflows
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    """Mean over the batch of -Σ t log y; t one-hot (N, C) or labels (N,)."""
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:  # one-hot: turn into labels
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size  # + 1e-7: no log(0)


# ------------------------------------------------------------------ simple nodes


class MulLayer:
    """z = x y."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x * y

    def backward(self, dout):
        dx = dout * self.y  # the inputs swap
        dy = dout * self.x
        return dx, dy


class AddLayer:
    """z = x + y."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


# ------------------------------------------------------------------ activations


class Relu:
    """max(0, x); the gradient is 0 where x <= 0 (ReLU'(0) = 0)."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()  # leave the caller's dout alone
        dx[self.mask] = 0
        return dx


class Sigmoid:
    """y = σ(x); dy/dx = y (1 - y)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class Tanh:
    """y = tanh(x); dy/dx = 1 - y^2."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out ** 2)


# ------------------------------------------------------------------ Affine


class Affine:
    """y = x W + b, x reshaped to (N, -1); dW = x^T dout, db = Σ_rows dout."""

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)  # images (N, C, H, W) become rows
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)  # b was added to every row: sum over the batch
        return dx.reshape(*self.original_x_shape)


# ------------------------------------------------------------------ loss layers


class SoftmaxWithLoss:
    """Softmax then cross-entropy error; backward gives (y - t) / N."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # one-hot
            dx = (self.y - self.t) / batch_size
        else:  # labels
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size
        return dx * dout


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2; backward returns 2 (y - t) (no sum, no mean: as in 02).

    This is deck 004's convention (each sample's own derivative; the batch sum or mean is
    taken at the update). The tests accept every self-consistent convention the slides
    show: ½ Σ with (y - t), ½ (1/N) Σ with (y - t) / N, (1/N) Σ with 2 (y - t) / N,
    np.mean with 2 (y - t) / y.size.
    """

    def __init__(self):
        self.diff = None

    def forward(self, y, t):
        self.diff = y - t
        return float(np.sum(self.diff ** 2) / len(y))

    def backward(self, dout=1):
        return dout * 2 * self.diff
