"""ニューラルネットワークによる関数の近似 (ループで書いた版).

Per-sample loops, but the same batch algorithm: the gradients of a mini-batch are summed
over its samples with the parameters fixed, then W and b are updated once per batch.
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def relu(u):
    """ReLU: max(0, u) を要素ごとに返す."""
    u = np.asarray(u, dtype=float)
    out = np.zeros_like(u)
    for idx in np.ndindex(u.shape):
        if u[idx] > 0:
            out[idx] = u[idx]
    return out


def relu_derivative(u):
    """ReLU の微分: u > 0 で 1、それ以外 (u = 0 を含む) で 0."""
    u = np.asarray(u, dtype=float)
    out = np.zeros_like(u)
    for idx in np.ndindex(u.shape):
        if u[idx] > 0:
            out[idx] = 1.0
    return out


def squared_error(y_hat, y):
    """E = ½ Σ (ŷ - y)^2 (バッチと出力のすべての和)."""
    total = 0.0
    for n in range(y_hat.shape[0]):
        for k in range(y_hat.shape[1]):
            total += (y_hat[n, k] - y[n, k]) ** 2
    return float(0.5 * total)


def squared_error_gradient(y_hat, y):
    """dE/dŷ = ŷ - y."""
    grad = np.zeros(np.shape(y_hat))
    for n in range(y_hat.shape[0]):
        grad[n] = y_hat[n] - y[n]
    return grad


class Layer:
    """全結合層 u = v W + b、出力 f(u)."""

    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.n_in, self.n_out = n_in, n_out
        self.activation = activation
        self.lr = learning_rate
        std = np.sqrt(2.0 / n_in) if activation == "relu" else np.sqrt(1.0 / n_in)
        self.W = rng.standard_normal((n_in, n_out)) * std
        self.b = np.zeros(n_out)

    def _f(self, u):
        return relu(u) if self.activation == "relu" else u

    def _df(self, u):
        return relu_derivative(u) if self.activation == "relu" else np.ones_like(u)

    def forward(self, v):
        N = v.shape[0]
        self.v = np.array(v, dtype=float)
        self.u = np.zeros((N, self.n_out))
        for n in range(N):  # one sample at a time
            self.u[n] = self.v[n] @ self.W + self.b
        return self._f(self.u)

    def backward(self, g):
        N = g.shape[0]
        g_W = np.zeros_like(self.W)
        g_b = np.zeros_like(self.b)
        g_prev = np.zeros((N, self.n_in))
        for n in range(N):  # sum the per-sample gradients; W unchanged inside the batch
            delta = g[n] * self._df(self.u[n])
            g_W += np.outer(self.v[n], delta)
            g_b += delta
            g_prev[n] = self.W @ delta  # (delta W^T) for row n, with the old W
        self.W = self.W - self.lr * g_W
        self.b = self.b - self.lr * g_b
        return g_prev


class MLP:
    """多層パーセプトロン."""

    def __init__(self, sizes, learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.rng = rng
        self.layers = []
        for i in range(len(sizes) - 1):
            last = i == len(sizes) - 2
            self.layers.append(Layer(sizes[i], sizes[i + 1],
                                     "identity" if last else "relu", learning_rate, rng))

    def forward(self, x):
        out = x
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def backward(self, g):
        for i in range(len(self.layers) - 1, -1, -1):
            g = self.layers[i].backward(g)
        return g

    def train(self, x, y, epochs, batch_size):
        N = len(x)
        losses = []
        for epoch in range(epochs):
            order = self.rng.permutation(N)
            n_batches = (N + batch_size - 1) // batch_size
            for k in range(n_batches):
                idx = order[k * batch_size:(k + 1) * batch_size]
                xb, yb = x[idx], y[idx]
                y_hat = self.forward(xb)
                g = squared_error_gradient(y_hat, yb)
                self.backward(g)
            E = 0.0
            for n in range(N):  # E on all the data, sample by sample
                E += squared_error(self.forward(x[n:n + 1]), y[n:n + 1])
            losses.append(E / N)
        return losses


def make_dataset(n, rng):
    """x ~ U(-π, π) を列ベクトル (n, 1) で、y = sin(x) と一緒に返す."""
    x = rng.uniform(-np.pi, np.pi, (n, 1))
    y = np.zeros((n, 1))
    for i in range(n):
        y[i, 0] = np.sin(x[i, 0])
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
