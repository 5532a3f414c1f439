"""ニューラルネットワークによる関数の近似 / Function approximation with a neural network.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run function_approximation.py   (scripts/ の中で / from scripts/)

多層パーセプトロンで y = sin(x) (-π <= x <= π) を近似します。損失は E = ½ Σ (ŷ - y)^2、
その勾配は dE/dŷ = ŷ - y。各レイヤの backward は勾配を計算し、前のレイヤへの勾配を
*更新前の* W で求めてから、自分の W と b を更新します。
A multi-layer perceptron learns y = sin(x) on [-π, π] with E = ½ Σ (ŷ - y)^2 and
dE/dŷ = ŷ - y. Each layer's backward computes its gradients, computes the gradient for
the previous layer with W *before* the update, then updates its own W and b.
Batches are rows: x has shape (N, 1).
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def relu(u):
    """ReLU: max(0, u) を要素ごとに返す / return max(0, u) element-wise."""
    return np.maximum(0.0, u)


def relu_derivative(u):
    """ReLU の微分: u > 0 で 1、それ以外 (u = 0 を含む) で 0 / 1 where u > 0, else 0.

    この授業では ReLU'(0) = 0 とします / in this course ReLU'(0) = 0.
    """
    return (u > 0).astype(float)


def squared_error(y_hat, y):
    """二乗誤差 E = ½ Σ (ŷ - y)^2 (バッチと出力のすべての和) を float で返す.

    Return E = ½ Σ (ŷ - y)^2, summed over the batch and the outputs, as a float.
    """
    # ミニバッチ学習ではバッチの平均を最小化する (DAY2「ミニバッチ学習と損失関数」)
    # batch mean: E = ½ (1/N) Σ (ŷ - y)^2
    n = y_hat.shape[0]
    return float(0.5 * np.sum((y_hat - y) ** 2) / n)


def squared_error_gradient(y_hat, y):
    """dE/dŷ = ŷ - y を返す / return dE/dŷ = ŷ - y."""
    # 損失関数レイヤの逆伝播ではバッチ数で割る (DAY2「損失関数レイヤにおける誤差逆伝播計算時の注意点」)
    return y_hat - y


class Layer:
    """全結合層 u = v W + b、出力 f(u) (f は "relu" または "identity").

    A fully connected layer u = v W + b with output f(u), f = ReLU or the identity.
    """

    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        """self.W (n_in, n_out), self.b (n_out,), self.activation, self.lr を用意する.

        W は rng.standard_normal((n_in, n_out)) に、ReLU なら He の初期値の標準偏差
        sqrt(2 / n_in) を掛ける (identity なら sqrt(1 / n_in))。b は 0。
        W = rng.standard_normal((n_in, n_out)) times sqrt(2 / n_in) for ReLU (He
        initialization; sqrt(1 / n_in) for the identity); b = zeros(n_out).
        """
        rng = np.random.default_rng() if rng is None else rng
        self.activation = activation
        self.lr = learning_rate
        scale = np.sqrt(2.0 / n_in) if activation == "relu" else np.sqrt(1.0 / n_in)
        self.W = rng.standard_normal((n_in, n_out)) * scale
        self.b = np.zeros(n_out)

    def forward(self, v):
        """v (N, n_in) と u = v W + b を記憶し、f(u) (N, n_out) を返す.

        Store v and u = v W + b (backward needs both) and return f(u).
        """
        self.v = v
        self.u = v @ self.W + self.b
        if self.activation == "relu":
            return relu(self.u)
        return self.u

    def backward(self, g):
        """g = dE/d(出力) (N, n_out) から逆伝播し、W と b を更新する.

        1. delta = g * f'(u)            (identity なら delta = g)
        2. g_W = v^T delta,  g_b = Σ_rows delta   (バッチ方向の和: E が和なので)
        3. 前のレイヤへの勾配 delta W^T を *更新前の* W で計算する
        4. W <- W - lr g_W,  b <- b - lr g_b
        5. 3 の勾配を返す
        Back-propagate g = dE/d(output): delta = g f'(u) (g for the identity),
        g_W = v^T delta, g_b = sum of delta over the batch, the gradient for the previous
        layer delta W^T with W *before* the update, then update W and b; return it.
        """
        if self.activation == "relu":
            delta = g * relu_derivative(self.u)
        else:
            delta = g
        g_W = self.v.T @ delta
        g_b = np.sum(delta, axis=0)
        g_prev = delta @ self.W.T
        self.W = self.W - self.lr * g_W
        self.b = self.b - self.lr * g_b
        return g_prev


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
        self.rng = rng
        self.layers = []
        for i in range(len(sizes) - 1):
            activation = "relu" if i < len(sizes) - 2 else "identity"
            self.layers.append(Layer(sizes[i], sizes[i + 1], activation, learning_rate, rng))

    def forward(self, x):
        """各レイヤの forward を順に適用して ŷ を返す / apply each layer's forward in order."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, g):
        """各レイヤの backward を逆順に適用し、x についての勾配を返す.

        Apply each layer's backward in reverse order; return the gradient for x.
        """
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def train(self, x, y, epochs, batch_size):
        """ミニバッチ勾配降下法で学習し、エポックごとの損失のリストを返す.

        各エポック: self.rng.permutation で順番を並べ替え、batch_size 個ずつ
        forward → g = squared_error_gradient(ŷ, y) → backward(g)。
        エポックの終わりに全データでの E / N を losses に追加する。
        Each epoch: shuffle with self.rng.permutation, then for each mini-batch forward,
        g = ŷ - y, backward(g). At the end of the epoch append E / N on all the data.
        """
        n = len(x)
        losses = []
        for _ in range(epochs):
            order = self.rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                y_hat = self.forward(x[idx])
                self.backward(squared_error_gradient(y_hat, y[idx]))
            # squared_error is already the mean ½ (1/N) Σ = E / N
            losses.append(squared_error(self.forward(x), y))
        return losses


def make_dataset(n, rng):
    """x ~ U(-π, π) を列ベクトル (n, 1) で、y = sin(x) と一緒に返す.

    Return n points x ~ U(-π, π) as a column (n, 1) and y = sin(x).
    """
    x = rng.uniform(-np.pi, np.pi, (n, 1))
    return x, np.sin(x)


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
