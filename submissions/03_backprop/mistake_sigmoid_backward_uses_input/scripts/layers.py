"""計算グラフのレイヤ (誤差逆伝播法) / Layers of the computational graph (back-propagation).

ゼロから作るDeep Learning 5 章のスタイル (入力配列はその場で書き換えない)。
"""

import numpy as np


# ------------------------------------------------------------------ functions


def sigmoid(x):
    """シグモイド関数 σ(x) = 1 / (1 + exp(-x)) を返す / return the sigmoid of x."""
    return 1 / (1 + np.exp(-x))


def softmax(x):
    """各行のソフトマックスを返す (最大値を引いてから exp)."""
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        y = np.exp(x) / np.sum(np.exp(x), axis=0)
        return y.T

    x = x - np.max(x)  # オーバーフロー対策
    return np.exp(x) / np.sum(np.exp(x))


def cross_entropy_error(y, t):
    """交差エントロピー誤差のバッチ平均 -(1/N) Σ t log(y + 1e-7) を返す."""
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)

    # 教師データが one-hot-vector の場合、正解ラベルのインデックスに変換
    if t.size == y.size:
        t = t.argmax(axis=1)

    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


# ------------------------------------------------------------------ simple nodes


class MulLayer:
    """乗算ノード z = x y / multiplication node."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        out = x * y
        return out

    def backward(self, dout):
        dx = dout * self.y  # x と y をひっくり返す
        dy = dout * self.x
        return dx, dy


class AddLayer:
    """加算ノード z = x + y / addition node."""

    def __init__(self):
        pass

    def forward(self, x, y):
        out = x + y
        return out

    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1
        return dx, dy


# ------------------------------------------------------------------ activations


class Relu:
    """ReLU: y = max(0, x)."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class Sigmoid:
    """y = σ(x)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.x = x
        out = sigmoid(x)
        self.out = out
        return out

    def backward(self, dout):
        dx = dout * (1.0 - self.x) * self.x
        return dx


class Tanh:
    """y = tanh(x)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        out = np.tanh(x)
        self.out = out
        return out

    def backward(self, dout):
        dx = dout * (1.0 - self.out ** 2)
        return dx


# ------------------------------------------------------------------ Affine


class Affine:
    """y = x W + b (W: (n_in, n_out), b: (n_out,))."""

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        # テンソル対応
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x

        out = np.dot(self.x, self.W) + self.b
        return out

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)

        dx = dx.reshape(*self.original_x_shape)  # 入力データの形状に戻す（テンソル対応）
        return dx


# ------------------------------------------------------------------ loss layers


class SoftmaxWithLoss:
    """Softmax と交差エントロピー誤差 / softmax followed by the cross-entropy error."""

    def __init__(self):
        self.loss = None
        self.y = None  # softmax の出力
        self.t = None  # 教師データ

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # 教師データが one-hot-vector の場合
            dx = (self.y - self.t) / batch_size
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size
        return dx * dout


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2 (課題 02 と同じ / as in assignment 02)."""

    def __init__(self):
        self.diff = None
        self.loss = None

    def forward(self, y, t):
        self.diff = y - t  # 逆伝播で使う
        n = y.shape[0] if np.ndim(y) > 0 else 1
        self.loss = np.sum(self.diff ** 2) / n
        return self.loss

    def backward(self, dout=1):
        return 2 * self.diff * dout  # 総和や平均を取らない
