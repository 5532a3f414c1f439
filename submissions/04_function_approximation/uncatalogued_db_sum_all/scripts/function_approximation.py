"""ニューラルネットワークによる関数の近似 (別の書き方).

Different numpy idioms: u * (u > 0), np.heaviside, np.dot, np.transpose, activation
functions kept as attributes, gradients stored as self.dW / self.db, np.array_split.
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def relu(u):
    return u * (u > 0)


def relu_derivative(u):
    return np.heaviside(u, 0.0)  # the second argument is the value at u == 0


def identity(u):
    return u


def identity_derivative(u):
    return np.ones_like(u)


ACTIVATIONS = {
    "relu": (relu, relu_derivative, 2.0),
    "identity": (identity, identity_derivative, 1.0),
}


def squared_error(y_hat, y):
    d = (np.asarray(y_hat) - np.asarray(y)).ravel()
    return 0.5 * float(np.dot(d, d))


def squared_error_gradient(y_hat, y):
    return np.subtract(y_hat, y)


class Layer:
    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.activation = activation
        self.f, self.df, gain = ACTIVATIONS[activation]
        self.lr = learning_rate
        self.W = rng.standard_normal(size=(n_in, n_out)) / np.sqrt(n_in / gain)
        self.b = np.zeros((n_out,))
        self.x = self.u = self.out = None
        self.dW = self.db = None

    def forward(self, v):
        self.x = np.array(v, copy=True)  # keep my own copy
        self.u = np.dot(self.x, self.W) + self.b
        self.out = self.f(self.u)
        return self.out

    def backward(self, g):
        delta = np.multiply(g, self.df(self.u))
        self.dW = np.dot(np.transpose(self.x), delta)
        self.db = delta.sum()
        dx = np.dot(delta, np.transpose(self.W))  # old W
        self.W -= self.lr * self.dW
        self.b -= self.lr * self.db
        return dx


class MLP:
    def __init__(self, sizes, learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.rng = rng
        self.sizes = list(sizes)
        acts = ["relu"] * (len(sizes) - 2) + ["identity"]
        self.layers = [Layer(a, b, act, learning_rate, rng)
                       for a, b, act in zip(sizes[:-1], sizes[1:], acts)]

    def forward(self, x):
        h = np.asarray(x, dtype=float)
        for layer in self.layers:
            h = layer.forward(h)
        return h

    def backward(self, g):
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def predict(self, x):
        return self.forward(x)

    def train(self, x, y, epochs, batch_size):
        n = x.shape[0]
        n_batches = int(np.ceil(n / batch_size))
        history = []
        for _ in range(epochs):
            perm = self.rng.permutation(n)
            # split the permutation into consecutive chunks of batch_size
            for idx in np.array_split(perm, range(batch_size, n, batch_size)):
                pred = self.forward(x[idx])
                self.backward(squared_error_gradient(pred, y[idx]))
            history.append(squared_error(self.predict(x), y) / n)
        assert len(history) == epochs and n_batches >= 1
        return history


def make_dataset(n, rng):
    x = (rng.random((n, 1)) * 2.0 - 1.0) * np.pi
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
