"""ニューラルネットワークによる関数の近似 / Function approximation with a neural network.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run function_approximation.py   (scripts/ の中で / from scripts/)

多層パーセプトロンで y = sin(x) (-π <= x <= π) を近似します。損失は E = ½ Σ (ŷ - y)^2、
その勾配は dE/dŷ = ŷ - y (000 「実装のヒント」)。バッチ平均 ½ (1/N) Σ とその勾配
(ŷ - y) / N でもよい (002 「ミニバッチ学習と損失関数」、TASK.ja.md)。
各レイヤの backward は勾配を計算し、前のレイヤへの勾配を *更新前の* W で求めてから、
自分の W と b を更新します。バッチは行: x の形は (N, 1)。W の形は (n_in, n_out) で、
スライドの W_l v_l の W_l の転置です (u = v W + b、000 「数式による表現」)。
A multi-layer perceptron learns y = sin(x) on [-π, π] with E = ½ Σ (ŷ - y)^2 and
dE/dŷ = ŷ - y (000 「実装のヒント」), or the batch mean ½ (1/N) Σ with the gradient
(ŷ - y) / N (002 「ミニバッチ学習と損失関数」, TASK.en.md).
Each layer's backward computes its gradients, computes the gradient for the previous layer
with W *before* the update, then updates its own W and b. Batches are rows: x has shape
(N, 1). W has shape (n_in, n_out), the transpose of the slide's W_l in W_l v_l
(u = v W + b, 000 「数式による表現」).
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def relu(u):
    """ReLU: max(0, u) を要素ごとに返す / return max(0, u) element-wise."""
    # TODO: 実装する / implement
    raise NotImplementedError("relu")


def relu_derivative(u):
    """ReLU の微分: u > 0 で 1、それ以外 (u = 0 を含む) で 0 / 1 where u > 0, else 0.

    この授業では ReLU'(0) = 0 とします / in this course ReLU'(0) = 0.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("relu_derivative")


def squared_error(y_hat, y):
    """二乗誤差 E = ½ Σ (ŷ - y)^2 (バッチと出力のすべての和) を float で返す.

    バッチ平均 ½ (1/N) Σ (ŷ - y)^2 (N は行数) でもよい (そのときは勾配も (ŷ - y) / N。
    002 「ミニバッチ学習と損失関数」)。
    Return E = ½ Σ (ŷ - y)^2, summed over the batch and the outputs, as a float (or the
    batch mean ½ (1/N) Σ (ŷ - y)^2, N the number of rows, with the gradient (ŷ - y) / N:
    002 「ミニバッチ学習と損失関数」).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("squared_error")


def squared_error_gradient(y_hat, y):
    """dE/dŷ = ŷ - y を返す (自分の squared_error の微分) / return dE/dŷ = ŷ - y.

    squared_error をバッチ平均にしたときは (ŷ - y) / N / (ŷ - y) / N for the batch mean.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("squared_error_gradient")


class Layer:
    """全結合層 u = v W + b、出力 f(u) (f は "relu" または "identity").

    A fully connected layer u = v W + b with output f(u), f = ReLU or the identity.
    """

    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        """self.W (n_in, n_out), self.b (n_out,), self.activation, self.lr を用意する.

        W の形 (n_in, n_out) はスライドの W_l (n_out, n_in) の転置 (u = v W + b)。
        W は rng.standard_normal((n_in, n_out)) に、ReLU なら He の初期値の標準偏差
        sqrt(2 / n_in) を掛ける (identity なら sqrt(1 / n_in))。b は 0。
        W of shape (n_in, n_out) is the transpose of the slide's W_l (u = v W + b).
        W = rng.standard_normal((n_in, n_out)) times sqrt(2 / n_in) for ReLU (He
        initialization; sqrt(1 / n_in) for the identity); b = zeros(n_out).
        """
        rng = np.random.default_rng() if rng is None else rng
        # TODO: 実装する / implement
        raise NotImplementedError("Layer.__init__")

    def forward(self, v):
        """v (N, n_in) と u = v W + b を記憶し、f(u) (N, n_out) を返す.

        Store v and u = v W + b (backward needs both) and return f(u).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Layer.forward")

    def backward(self, g):
        """g = dE/d(出力) (N, n_out) から逆伝播し、W と b を更新する.

        1. delta = g * f'(u)            (identity なら delta = g)
        2. g_W = v^T delta,  g_b = Σ_rows delta   (バッチ方向の和。平均を使うときも
           N で割るのは損失の勾配の側で、ここでは割らない)
        3. 前のレイヤへの勾配 delta W^T を *更新前の* W で計算する
        4. W <- W - lr g_W,  b <- b - lr g_b
        5. 3 の勾配を返す
        Back-propagate g = dE/d(output): delta = g f'(u) (g for the identity),
        g_W = v^T delta, g_b = sum of delta over the batch (sums even with the batch mean:
        the loss gradient carries the 1/N), the gradient for the previous layer delta W^T
        with W *before* the update, then update W and b; return it.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Layer.backward")


class MLP:
    """層の大きさのリスト sizes (例 [1, 16, 16, 1]) から作る多層パーセプトロン.

    隠れ層は ReLU、出力層は identity。self.layers に Layer を順に入れる。
    A multi-layer perceptron from a list of sizes such as [1, 16, 16, 1]: ReLU in the
    hidden layers, identity at the output; the layers go in self.layers, in order.
    """

    def __init__(self, sizes, learning_rate=0.01, rng=None):
        """self.rng と self.layers を用意する (rng はミニバッチの並べ替えにも使う).

        Set self.rng (also used to shuffle the mini-batches) and self.layers.
        """
        rng = np.random.default_rng() if rng is None else rng
        # TODO: 実装する / implement
        raise NotImplementedError("MLP.__init__")

    def forward(self, x):
        """self.layers の forward を順に適用して ŷ を返す.

        Apply the forward of each layer in self.layers in order; return ŷ.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("MLP.forward")

    def backward(self, g):
        """self.layers の backward を逆順に適用し、x についての勾配を返す.

        Apply the backward of each layer in self.layers in reverse order; return the
        gradient for x.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("MLP.backward")

    def train(self, x, y, epochs, batch_size):
        """ミニバッチ勾配降下法で学習し、エポックごとの損失のリストを返す.

        各エポック: self.rng.permutation で順番を並べ替え、batch_size 個ずつ
        forward → g = squared_error_gradient(ŷ, y) → backward(g)
        (g はミニバッチの平均 (ŷ - y) / batch_size でもよい)。
        エポックの終わりに全データでの E / N = ½ (1/N) Σ (ŷ - y)^2 を losses に追加する。
        x, y は書き換えない (並べ替えは添字で)。
        Each epoch: shuffle with self.rng.permutation, then for each mini-batch forward,
        g = ŷ - y (or the mini-batch mean (ŷ - y) / batch_size), backward(g). At the end of
        the epoch append E / N = ½ (1/N) Σ (ŷ - y)^2 on all the data. Leave x and y
        unchanged (shuffle through indices).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("MLP.train")


def make_dataset(n, rng):
    """x ~ U(-π, π) を列ベクトル (n, 1) で、y = sin(x) と一緒に返す.

    Return n points x ~ U(-π, π) as a column (n, 1) and y = sin(x).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("make_dataset")


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    x, y = make_dataset(100, rng)
    model = MLP([1, 16, 16, 1], learning_rate=0.003, rng=rng)
    losses = model.train(x, y, epochs=300, batch_size=10)
    print(f"final loss = {losses[-1]:.6f}")

    grid = np.linspace(-np.pi, np.pi, 300).reshape(-1, 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.scatter(x, y, s=6, label="data")
    left.plot(grid, np.sin(grid), color="gray", linestyle="--", label="sin(x)")
    left.plot(grid, model.forward(grid), color="C1", label="network")
    left.set_xlabel("x")
    left.legend()
    right.plot(losses)
    right.set_yscale("log")
    right.set_xlabel("epoch")
    right.set_ylabel("E / N")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "function_approximation.png", dpi=80)
