"""C と T の識別 (知の探究 5)."""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"

PATTERN_C = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0], [0, 1, 1]], dtype=float)
PATTERN_T = np.array([[1, 1, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0]], dtype=float)


def with_threshold_input(x):
    minus_one = -np.ones((x.shape[0], 1))
    return np.concatenate([x, minus_one], axis=1)


def sigmoid(u):
    return 1 / (1 + np.exp(-u))


def softmax(a):
    c = np.max(a, axis=1, keepdims=True)
    exp_a = np.exp(a - c)
    return exp_a / np.sum(exp_a, axis=1, keepdims=True)


def cross_entropy(y, t):
    delta = 1e-7
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + delta)) / batch_size


def squared_error(y, t):
    batch_size = y.shape[0]
    return 0.5 * np.sum((t - y) ** 2) / batch_size


class CTNet:
    def __init__(self, rng, learning_rate=1.0):
        self.W1 = rng.standard_normal((13, 3))
        self.W2 = rng.standard_normal((4, 2))
        self.lr = learning_rate

    def forward(self, x):
        self.x1 = with_threshold_input(x)
        self.z = sigmoid(self.x1 @ self.W1)
        self.z1 = with_threshold_input(self.z)
        self.y = softmax(self.z1 @ self.W2)
        return self.y

    def error(self, y, t):
        return cross_entropy(y, t)

    def backward(self, t):
        batch_size = t.shape[0]
        dy = (self.y - t) / batch_size
        self.g_W2 = self.z1.T @ dy
        self.W2 = self.W2 - self.lr * self.g_W2
        dz = dy @ self.W2[:3].T
        du = dz * self.z * (1 - self.z)
        self.g_W1 = self.x1.T @ du
        self.W1 = self.W1 - self.lr * self.g_W1

    def predict(self, x):
        return np.argmax(self.forward(x), axis=1)

    def accuracy(self, x, t):
        return np.sum(self.predict(x) == np.argmax(t, axis=1)) / x.shape[0]

    def train(self, x, t, max_iteration):
        losses = []
        for i in range(max_iteration):
            y = self.forward(x)
            losses.append(self.error(y, t))
            self.backward(t)
        return losses

    def train_until(self, x, t, epsilon, max_iteration):
        losses = []
        for _ in range(max_iteration):
            y = self.forward(x)
            losses.append(self.error(y, t))
            if losses[-1] < epsilon:
                break
            self.backward(t)
        return losses


def load_data(name):
    table = np.loadtxt(DATA / f"{name}.csv", delimiter=",", skiprows=1)
    return table[:, :12], np.eye(2)[table[:, 12].astype(int)]


def plot_training(losses, epsilon, accuracies, file_name="ct_training.png"):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(losses)
    left.axhline(epsilon, color="red", linestyle="--")
    left.set_xlabel("iteration")
    left.set_ylabel("E")
    right.bar(list(accuracies.keys()), list(accuracies.values()))
    right.set_ylim(0, 1)
    right.set_ylabel("accuracy")
    fig.savefig(OUTPUTS / file_name)
    plt.close(fig)


if __name__ == "__main__":
    x, t = load_data("ct_train")
    net = CTNet(np.random.default_rng(0))
    print(net.train(x, t, 300)[-1])
