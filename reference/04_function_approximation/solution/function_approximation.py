"""ニューラルネットワークによる関数の近似 / Function approximation with a neural network.

Reference solution. A multi-layer perceptron of ``Layer`` objects learns y = sin(x) on
[-π, π] by mini-batch gradient descent on E = ½ Σ (ŷ - y)^2. Each layer's ``backward``
computes its gradients, returns the gradient for the previous layer (with the weights
*before* the update) and then updates its own W and b.
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def relu(u):
    """max(0, u), element-wise."""
    return np.maximum(u, 0.0)


def relu_derivative(u):
    """1 where u > 0, else 0 (ReLU'(0) = 0)."""
    return (u > 0).astype(np.float64)


def squared_error(y_hat, y):
    """E = ½ Σ (ŷ - y)^2 over the batch and the outputs."""
    return float(0.5 * np.sum((y_hat - y) ** 2))


def squared_error_gradient(y_hat, y):
    """dE/dŷ = ŷ - y."""
    return y_hat - y


class Layer:
    """u = v W + b, output f(u) with f = ReLU or the identity."""

    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        # He initialization for ReLU layers; sqrt(1 / n_in) for the linear output layer.
        std = np.sqrt(2.0 / n_in) if activation == "relu" else np.sqrt(1.0 / n_in)
        self.W = rng.standard_normal((n_in, n_out)) * std
        self.b = np.zeros(n_out)
        self.activation = activation
        self.lr = learning_rate
        self.v = None
        self.u = None

    def forward(self, v):
        self.v = v                       # needed for the gradient of W
        self.u = v @ self.W + self.b     # needed for f'(u)
        return relu(self.u) if self.activation == "relu" else self.u

    def backward(self, g):
        delta = g * relu_derivative(self.u) if self.activation == "relu" else g
        g_W = self.v.T @ delta           # sums over the batch: E is a sum
        g_b = np.sum(delta, axis=0)
        g_v = delta @ self.W.T           # with W *before* the update
        self.W = self.W - self.lr * g_W
        self.b = self.b - self.lr * g_b
        return g_v


class MLP:
    """Layers of the given sizes: ReLU in the hidden layers, identity at the output."""

    def __init__(self, sizes, learning_rate=0.01, rng=None):
        self.rng = np.random.default_rng() if rng is None else rng
        last = len(sizes) - 2
        self.layers = [Layer(sizes[i], sizes[i + 1], "relu" if i < last else "identity",
                             learning_rate, self.rng) for i in range(len(sizes) - 1)]

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, g):
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def train(self, x, y, epochs, batch_size):
        """Mini-batch gradient descent; returns E / N on the whole data after each epoch."""
        n = len(x)
        losses = []
        for _ in range(epochs):
            order = self.rng.permutation(n)
            for start in range(0, n, batch_size):
                batch = order[start:start + batch_size]
                y_hat = self.forward(x[batch])
                self.backward(squared_error_gradient(y_hat, y[batch]))
            losses.append(squared_error(self.forward(x), y) / n)
        return losses


def make_dataset(n, rng):
    """n points x ~ U(-π, π) as a column (n, 1) and y = sin(x)."""
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
