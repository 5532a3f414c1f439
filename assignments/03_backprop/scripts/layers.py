"""計算グラフのレイヤ (誤差逆伝播法) / Layers of the computational graph (back-propagation).

TODO の部分を実装してください。 Fill in the parts marked TODO.
API はゼロから作るDeep Learning 5 章の通りです (The API follows the book's chapter 5):
forward は backward に必要なものだけを記憶し、backward(dout) は前のノードへの勾配を返します。
Batches are rows: x has shape (N, n_in). Arrays are float64.
"""

import numpy as np


# ------------------------------------------------------------------ functions


def sigmoid(x):
    """シグモイド関数 σ(x) = 1 / (1 + exp(-x)) を返す / return the sigmoid of x."""
    # TODO: 実装する / implement
    raise NotImplementedError("sigmoid")


def softmax(x):
    """各行のソフトマックスを返す (x: (N, C)、各行の和が 1).

    exp がオーバーフローしないように、各行の最大値を引いてから exp を計算すること
    (スライド: ソフトマックス関数の実装上の注意)。
    Return the softmax of each row; subtract each row's max before exp so that large
    inputs (1000, say) do not overflow.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("softmax")


def cross_entropy_error(y, t):
    """交差エントロピー誤差のバッチ平均 -(1/N) Σ t log(y + 1e-7) を返す.

    t は one-hot (N, C) でもラベル (N,) でもよい (どちらにも対応すること)。
    + 1e-7 は log(0) を避けるため (003 「交差エントロピー誤差」の式にはなく、なくても正解)。
    Return the batch mean of the cross-entropy error; t is one-hot (N, C) or labels (N,)
    (support both). The + 1e-7 avoids log(0) (the slide's formula has none: both are right).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("cross_entropy_error")


# ------------------------------------------------------------------ simple nodes


class MulLayer:
    """乗算ノード z = x y / multiplication node."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """x, y を記憶して x * y を返す / store x and y, return x * y."""
        # TODO: 実装する / implement
        raise NotImplementedError("MulLayer.forward")

    def backward(self, dout):
        """(dx, dy) = (dout * y, dout * x) を返す (入力がひっくり返る).

        Return (dx, dy) = (dout * y, dout * x): the inputs swap.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("MulLayer.backward")


class AddLayer:
    """加算ノード z = x + y / addition node."""

    def forward(self, x, y):
        """x + y を返す / return x + y."""
        # TODO: 実装する / implement
        raise NotImplementedError("AddLayer.forward")

    def backward(self, dout):
        """(dx, dy) = (dout, dout) を返す (そのまま流す) / return (dout, dout)."""
        # TODO: 実装する / implement
        raise NotImplementedError("AddLayer.backward")


# ------------------------------------------------------------------ activations


class Relu:
    """ReLU: y = max(0, x)."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """mask = (x <= 0) を記憶し、x の mask の位置を 0 にしたものを返す.

        Store mask = (x <= 0) and return x with the masked entries set to 0. Do not
        change the caller's x (work on a copy).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Relu.forward")

    def backward(self, dout):
        """dout の mask の位置を 0 にして返す (x <= 0 では勾配 0、つまり ReLU'(0) = 0).

        Return dout with the masked entries set to 0 (the gradient is 0 where x <= 0).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Relu.backward")


class Sigmoid:
    """y = σ(x)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """y = σ(x) を記憶して返す / store y = σ(x) and return it."""
        # TODO: 実装する / implement
        raise NotImplementedError("Sigmoid.forward")

    def backward(self, dout):
        """dout * y (1 - y) を返す (dy/dx = σ(x) (1 - σ(x))).

        Return dout * y (1 - y), the derivative written with the stored output y.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Sigmoid.backward")


class Tanh:
    """y = tanh(x)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """y = tanh(x) を記憶して返す / store y = tanh(x) and return it."""
        # TODO: 実装する / implement
        raise NotImplementedError("Tanh.forward")

    def backward(self, dout):
        """dout * (1 - y^2) を返す (y は forward の出力) / return dout * (1 - y^2)."""
        # TODO: 実装する / implement
        raise NotImplementedError("Tanh.backward")


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
        """x の形を記憶し、(N, -1) に変形してから x W + b を返す.

        画像のような (N, C, H, W) の入力も 1 行 1 データにする。
        Remember x's shape, reshape x to (N, -1) (one row per sample, so that images
        (N, C, H, W) work too) and return x W + b.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Affine.forward")

    def backward(self, dout):
        """self.dW = x^T dout, self.db = Σ_rows dout (バッチ方向の和) を求め、dx を返す.

        dx = dout W^T を、元の x の形に戻して返す。
        Set self.dW = x^T dout and self.db = the sum of dout over the batch (axis 0), and
        return dx = dout W^T reshaped to the original shape of x.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Affine.backward")


# ------------------------------------------------------------------ loss layers


class SoftmaxWithLoss:
    """Softmax と交差エントロピー誤差 / softmax followed by the cross-entropy error."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        """y = softmax(x) と t を記憶し、損失 cross_entropy_error(y, t) を返す.

        t は one-hot でもラベルでもよい / t is one-hot (N, C) or labels (N,).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("SoftmaxWithLoss.forward")

    def backward(self, dout=1):
        """(y - t) / N を返す (N はバッチの大きさ。ラベル形式の t にも対応すること).

        Return (y - t) / N, divided by the batch size N; handle label targets too
        (subtract 1 at each sample's label).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("SoftmaxWithLoss.backward")


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2 (課題 02 と同じ / as in assignment 02).

    この骨組みは 004 「平均二乗誤差関数と逆伝播」 の書き方です (backward は各データの微分
    2 (y - t)、総和も平均もとらない)。002 「2乗和誤差レイヤの逆伝播」 の E = ½ Σ (y - t)^2 と
    y - t (バッチの平均 ½ (1/N) Σ なら (y - t) / N)、(1/N) Σ と 2 (y - t) / N、np.mean と
    2 (y - t) / y.size も正解です。backward が自分の forward と合っていること。
    This skeleton follows deck 004 (backward returns each sample's derivative 2 (y - t)).
    Deck 002's ½ Σ (y - t)^2 with y - t (or its batch mean with (y - t) / N), (1/N) Σ with
    2 (y - t) / N, and np.mean with 2 (y - t) / y.size are accepted too, as long as
    backward matches your forward.
    """

    def __init__(self):
        self.diff = None

    def forward(self, y, t):
        """diff = y - t を記憶して E を返す / store diff = y - t and return E."""
        # TODO: 実装する / implement
        raise NotImplementedError("MeanSquaredError.forward")

    def backward(self, dout=1):
        """2 (y - t) を返す (和も平均もとらない) / return 2 (y - t), no sum, no mean."""
        # TODO: 実装する / implement
        raise NotImplementedError("MeanSquaredError.backward")
