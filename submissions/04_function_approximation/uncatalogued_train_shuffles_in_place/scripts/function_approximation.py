"""関数の近似 (sin x).

考察: 隠れ層 2 層 (16 ユニット) で、300 エポック程度で sin(x) をよく近似できた。
"""
import numpy as np


def relu(u):
    return np.where(u > 0, u, 0.0)


def relu_derivative(u):
    return np.where(u > 0, 1.0, 0.0)


def squared_error(y_hat, y):
    d = y_hat - y
    return 0.5 * np.sum(d * d)


def squared_error_gradient(y_hat, y):
    return y_hat - y


class Layer:
    def __init__(self, n_in, n_out, activation="relu", learning_rate=0.01, rng=None):
        if rng is None:
            rng = np.random.default_rng()
        if activation == "relu":
            scale = np.sqrt(2.0 / n_in)   # He
        else:
            scale = np.sqrt(1.0 / n_in)
        self.W = scale * rng.standard_normal((n_in, n_out))
        self.b = np.zeros(n_out)
        self.activation = activation
        self.learning_rate = learning_rate

    def forward(self, v):
        self.x = v
        self.u = np.dot(v, self.W) + self.b
        if self.activation == "relu":
            return relu(self.u)
        return self.u

    def backward(self, g):
        if self.activation == "relu":
            g = g * relu_derivative(self.u)
        dW = np.dot(self.x.T, g)
        db = g.sum(axis=0)
        dv = np.dot(g, self.W.T)
        self.W -= self.learning_rate * dW
        self.b -= self.learning_rate * db
        return dv


class MLP:
    def __init__(self, sizes, learning_rate=0.01, rng=None):
        if rng is None:
            rng = np.random.default_rng()
        self.rng = rng
        self.layers = []
        for i in range(len(sizes) - 1):
            act = "relu" if i < len(sizes) - 2 else "identity"
            self.layers.append(Layer(sizes[i], sizes[i + 1], act, learning_rate, rng))

    def forward(self, x):
        h = x
        for layer in self.layers:
            h = layer.forward(h)
        return h

    def backward(self, g):
        for layer in self.layers[::-1]:
            g = layer.backward(g)
        return g

    def train(self, x, y, epochs, batch_size):
        losses = []
        n = x.shape[0]
        for epoch in range(epochs):
            idx = self.rng.permutation(n)
            x[:] = x[idx]  # shuffle the data itself
            y[:] = y[idx]
            for i in range(0, n, batch_size):
                out = self.forward(x[i:i + batch_size])
                self.backward(squared_error_gradient(out, y[i:i + batch_size]))
            losses.append(squared_error(self.forward(x), y) / n)
            if epoch % 100 == 0:
                print(epoch, losses[-1])
        return losses


def make_dataset(n, rng):
    x = rng.uniform(-np.pi, np.pi, size=(n, 1))
    return x, np.sin(x)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x, y = make_dataset(100, rng)
    model = MLP([1, 16, 16, 1], 0.003, rng)
    losses = model.train(x, y, 300, 10)
    print(losses[-1])
