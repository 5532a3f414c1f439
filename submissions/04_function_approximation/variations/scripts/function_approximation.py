"""関数の近似: 名前を少し変えた版 (DenseLayer, MultiLayerPerceptron, 小文字の w,
backward は (前の層への勾配, g_w, g_b) のタプルを返す、レイヤは layer_list に入れる)."""
import numpy as np


def relu(u):
    return np.maximum(0, u)


def relu_derivative(u):
    return (u > 0) * 1.0


def squared_error(y_hat, y):
    return float(np.sum((y_hat - y) ** 2) / 2)


def squared_error_gradient(y_hat, y):
    return y_hat - y


class DenseLayer:
    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        rng = rng if rng is not None else np.random.default_rng()
        self.w = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        self.b = np.zeros(n_out)
        self.activation = activation
        self.lr = learning_rate

    def forward(self, v):
        self.v = v
        self.u = v @ self.w + self.b
        return relu(self.u) if self.activation == "relu" else self.u

    def backward(self, g):
        delta = g * relu_derivative(self.u) if self.activation == "relu" else g
        g_w = self.v.T @ delta
        g_b = delta.sum(axis=0)
        g_prev = delta @ self.w.T
        self.w = self.w - self.lr * g_w
        self.b = self.b - self.lr * g_b
        return g_prev, g_w, g_b


class MultiLayerPerceptron:
    def __init__(self, sizes, learning_rate=0.01, rng=None):
        self.rng = rng if rng is not None else np.random.default_rng()
        n = len(sizes) - 1
        self.layer_list = [DenseLayer(sizes[i], sizes[i + 1],
                                      "relu" if i < n - 1 else "identity", learning_rate,
                                      self.rng) for i in range(n)]

    def forward(self, x):
        for layer in self.layer_list:
            x = layer.forward(x)
        return x

    def backward(self, g):
        for layer in reversed(self.layer_list):
            g, _, _ = layer.backward(g)
        return g

    def train(self, x, y, epochs, batch_size):
        losses = []
        for _ in range(epochs):
            order = self.rng.permutation(len(x))
            for batch in np.array_split(order, max(len(x) // batch_size, 1)):
                self.backward(squared_error_gradient(self.forward(x[batch]), y[batch]))
            losses.append(squared_error(self.forward(x), y) / len(x))
        return losses


def make_dataset(n, rng):
    x = np.sort(rng.uniform(-np.pi, np.pi, n)).reshape(n, 1)
    return x, np.sin(x)
