"""ニューラルネットワークによる関数の近似 / Function approximation with a neural network.

スライド「ニューラルネットワークによる関数の近似」の式とヒントの通りに実装:
  v_{l+1} = σ_l(W_l v_l + b_l)  (行ベクトルのバッチなので u = v W + b と書く; W は (n_in, n_out))
  ReLU(z) = z (z > 0), 0 (z <= 0)            -> np.where
  ∂ReLU/∂z = 1 (z > 0), 0 (z <= 0)           -> np.where
  ∂E/∂ŷ = ŷ - y, E = ½ Σ (ŷ - y)^2
  He の初期値, Layer クラスに forward (順伝播) と backward (逆伝播 + 値更新)
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def relu(u):
    """ReLU: max(0, u) を要素ごとに返す / return max(0, u) element-wise."""
    return np.where(u > 0, u, 0)


def relu_derivative(u):
    """ReLU の微分: u > 0 で 1、それ以外 (u = 0 を含む) で 0 / 1 where u > 0, else 0."""
    # 実際は z = 0 で勾配は定義されないが便宜上 0 とする (実装のヒント)
    return np.where(u > 0, 1, 0)


def squared_error(y_hat, y):
    """二乗誤差 E = ½ Σ (ŷ - y)^2 (バッチと出力のすべての和) を float で返す."""
    return float(np.sum((y_hat - y) ** 2) / 2)


def squared_error_gradient(y_hat, y):
    """dE/dŷ = ŷ - y を返す / return dE/dŷ = ŷ - y."""
    return y_hat - y


class Layer:
    """全結合層 u = v W + b、出力 f(u) (f は "relu" または "identity")."""

    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.activation = activation
        self.lr = learning_rate
        if activation == "relu":
            std = np.sqrt(2 / n_in)  # He, K. et al. (2015)
        else:
            std = np.sqrt(1 / n_in)
        self.W = std * rng.standard_normal((n_in, n_out))
        self.b = np.zeros(n_out)
        self.v = None
        self.u = None

    def forward(self, v):
        """v_l を保存しながら出力を計算 (順伝播)."""
        self.v = v  # 計算途中の値 (v_l) も保存しておく
        self.u = np.dot(v, self.W) + self.b
        if self.activation == "relu":
            return relu(self.u)
        return self.u

    def backward(self, g):
        """W_l, b_l を更新しながら勾配を逆伝播."""
        if self.activation == "relu":
            delta = g * relu_derivative(self.u)
        else:
            delta = g
        # パラメータ関連の勾配
        dW = np.dot(self.v.T, delta)
        db = np.sum(delta, axis=0)
        # 前の層への勾配 ∂(Wv + b)_q/∂v_p = W_{q,p} -> 更新前の W で
        dv = np.dot(delta, self.W.T)
        # θ^(t+1) = θ^(t) - η ∂E/∂θ^(t)
        self.W = self.W - self.lr * dW
        self.b = self.b - self.lr * db
        return dv


class MLP:
    """多層パーセプトロン: 隠れ層は ReLU、出力層は identity."""

    def __init__(self, sizes, learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.rng = rng
        self.layers = []
        L = len(sizes) - 1
        for l in range(L):
            act = "identity" if l == L - 1 else "relu"
            self.layers.append(Layer(sizes[l], sizes[l + 1], act, learning_rate, rng))

    def forward(self, x):
        v = x
        for layer in self.layers:
            v = layer.forward(v)
        return v

    def backward(self, g):
        for layer in self.layers[::-1]:
            g = layer.backward(g)
        return g

    def train(self, x, y, epochs, batch_size):
        N = x.shape[0]
        losses = []
        for epoch in range(epochs):
            perm = self.rng.permutation(N)
            for i in range(0, N, batch_size):
                batch = perm[i:i + batch_size]
                # ① 順伝播
                y_hat = self.forward(x[batch])
                # ② 出力の勾配
                g = squared_error_gradient(y_hat, y[batch])
                # ③ 更新しながら逆伝播
                self.backward(g)
            E = squared_error(self.forward(x), y)
            losses.append(E / N)
        return losses


def make_dataset(n, rng):
    """x ~ U(-π, π) を列ベクトル (n, 1) で、y = sin(x) と一緒に返す."""
    x = rng.uniform(-np.pi, np.pi, size=(n, 1))
    y = np.sin(x)
    return x, y


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
