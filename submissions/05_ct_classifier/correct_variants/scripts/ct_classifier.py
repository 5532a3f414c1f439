"""C と T の識別 / telling C from T, written differently (all accepted).

- backward goes through the chain rule: dE/dy = -t / (y + 1e-7) / N, then the softmax
  Jacobian (close to (y - t) / N, about 1e-7 apart: still the gradient of this error);
- in-place updates (self.W2 -= ...), after computing everything that needs the old W2;
- predict returns float labels, accuracy a numpy float, train a numpy array;
- the squared error averaged per pattern with np.mean, train recording cross_entropy
  itself (the same as error);
- train_until as a while loop returning a numpy array, plot_training with pyplot's
  state (plt.subplot, plt.savefig).
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"

DELTA = 1e-7


def with_threshold_input(x):
    return np.hstack((x, np.full((len(x), 1), -1.0)))


def sigmoid(u):
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def softmax(a):
    shifted = a - a.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(y, t):
    return float(np.mean(-np.sum(t * np.log(y + DELTA), axis=1)))


def squared_error(y, t):
    return float(np.mean(0.5 * np.sum(np.square(t - y), axis=1)))


class CTNet:
    def __init__(self, rng, learning_rate=1.0):
        self.W1 = rng.standard_normal(size=(13, 3))
        self.W2 = rng.standard_normal(size=(4, 2))
        self.lr = learning_rate

    def forward(self, x):
        self.inputs = with_threshold_input(x)
        self.hidden = sigmoid(self.inputs @ self.W1)
        self.hidden_ext = with_threshold_input(self.hidden)
        self.y = softmax(self.hidden_ext @ self.W2)
        return self.y

    def error(self, y, t):
        return cross_entropy(y, t)

    def backward(self, t):
        n = len(t)
        dy = -t / (self.y + DELTA) / n                       # ∂E/∂y
        # softmax Jacobian: ∂E/∂a_j = y_j (∂E/∂y_j - Σ_k ∂E/∂y_k y_k)
        da = self.y * (dy - np.sum(dy * self.y, axis=1, keepdims=True))
        self.g_W2 = self.hidden_ext.T @ da
        dh = (da @ self.W2.T)[:, :-1]                          # drop the constant -1
        du = dh * self.hidden * (1.0 - self.hidden)
        self.g_W1 = self.inputs.T @ du
        self.W2 -= self.lr * self.g_W2
        self.W1 -= self.lr * self.g_W1

    def predict(self, x):
        return self.forward(x).argmax(axis=1).astype(float)

    def accuracy(self, x, t):
        return np.mean(self.predict(x) == t.argmax(axis=1))

    def train(self, x, t, max_iteration):
        history = []
        for _ in range(max_iteration):
            history.append(cross_entropy(self.forward(x), t))
            self.backward(t)
        return np.array(history)

    def train_until(self, x, t, epsilon, max_iteration):
        history, k = [], 0
        while k < max_iteration:
            e = self.error(self.forward(x), t)
            history.append(e)
            if e < epsilon:          # 手順 4: E < ε なら終了
                return np.array(history)
            self.backward(t)
            k += 1
        return np.array(history)


def plot_training(losses, epsilon, accuracies, file_name="ct_training.png"):
    import matplotlib.pyplot as plt

    plt.figure(figsize=(8, 4))
    plt.subplot(1, 2, 1)
    plt.plot(range(len(losses)), losses, label="E")
    plt.plot([0, len(losses) - 1], [epsilon, epsilon], "r:", label="epsilon")
    plt.legend()
    plt.subplot(1, 2, 2)
    names = sorted(accuracies)
    plt.bar(range(len(names)), [accuracies[n] for n in names], tick_label=names)
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    plt.savefig(str(OUTPUTS / file_name), dpi=72)
    plt.close()
