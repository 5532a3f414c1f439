"""4x3 画素の「C」「T」を見分けるニューラルネットワーク (reference).

12 inputs (pixels 0/1) -> 3 sigmoid units -> 2 softmax outputs, cross-entropy error, the
batch mean (the kit's default; the slides' sum E = Σ_p e_p and sigmoid outputs with the
squared error are accepted too, see TASK and the manifest's conventions).
Thresholds are weights on a constant input -1 (slides 001 「神経細胞とニューラルネットワーク」):
u_v = Σ_i w_iv x_i - θ_v = Σ_i w_iv x_i + θ_v · (-1). 13 x 3 + 4 x 2 = 47 parameters.
CTNet.train_until stops when E < ε (001 「機械学習のアルゴリズム algorithm」, step 4);
plot_training draws outputs/ct_training.png (E per iteration with ε, the accuracies).
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"

PATTERN_C = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0], [0, 1, 1]], dtype=float)
PATTERN_T = np.array([[1, 1, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0]], dtype=float)
LABELS = ("C", "T")
LEARNING_RATE = 1.0   # step size η
EPSILON = 0.02        # stop when E < ε (001 「機械学習のアルゴリズム algorithm」, step 4)
MAX_ITERATION = 1000


def with_threshold_input(x):
    """各行の最後に定数入力 -1 を付ける: (N, n) -> (N, n + 1)."""
    return np.hstack([x, -np.ones((x.shape[0], 1))])


def sigmoid(u):
    return 1 / (1 + np.exp(-u))


def softmax(a):
    """行ごとの softmax (N, K)."""
    a = a - np.max(a, axis=1, keepdims=True)  # overflow 対策 / avoid overflow in exp
    e = np.exp(a)
    return e / np.sum(e, axis=1, keepdims=True)


def cross_entropy(y, t):
    """E = (1/N) Σ_p e_p,  e_p = -Σ_k t_pk log(y_pk + 1e-7)."""
    return float(-np.sum(t * np.log(y + 1e-7)) / y.shape[0])


def squared_error(y, t):
    """E = (1/N) Σ_p e_p,  e_p = ½ Σ_k (t_pk - y_pk)^2."""
    return float(0.5 * np.sum((t - y) ** 2) / y.shape[0])


class CTNet:
    """12 -> 3 (sigmoid) -> 2 (softmax). W1 (13, 3) and W2 (4, 2): last rows are θ."""

    def __init__(self, rng, learning_rate=1.0):
        self.W1 = rng.standard_normal((13, 3))
        self.W2 = rng.standard_normal((4, 2))
        self.lr = learning_rate
        self.x = None
        self.z = None
        self.zb = None
        self.y = None
        self.g_W1 = None
        self.g_W2 = None

    def forward(self, x):
        self.x = with_threshold_input(x)          # (N, 13)
        self.z = sigmoid(self.x @ self.W1)        # (N, 3) hidden outputs
        self.zb = with_threshold_input(self.z)    # (N, 4)
        self.y = softmax(self.zb @ self.W2)       # (N, 2)
        return self.y

    def error(self, y, t):
        """The network's error E: softmax outputs go with the cross-entropy."""
        return cross_entropy(y, t)

    def backward(self, t):
        n = self.y.shape[0]
        delta2 = (self.y - t) / n                 # ∂E/∂s for softmax + cross-entropy (mean)
        self.g_W2 = self.zb.T @ delta2
        # back to the hidden layer with W2 *before* the update, without the θ row
        delta1 = (delta2 @ self.W2[:-1].T) * self.z * (1 - self.z)
        self.g_W1 = self.x.T @ delta1
        self.W2 = self.W2 - self.lr * self.g_W2
        self.W1 = self.W1 - self.lr * self.g_W1

    def predict(self, x):
        """0 (C) または 1 (T) のラベル."""
        return np.argmax(self.forward(x), axis=1)

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x) == np.argmax(t, axis=1)))

    def train(self, x, t, max_iteration):
        """勾配法の繰り返し。losses[i] は i 回目の更新の前の誤差."""
        losses = []
        for _ in range(max_iteration):
            y = self.forward(x)
            losses.append(self.error(y, t))
            self.backward(t)
        return losses

    def train_until(self, x, t, epsilon, max_iteration):
        """001 「機械学習のアルゴリズム algorithm」 steps 2-5: at most max_iteration
        iterations; each computes E (recorded), stops as soon as E < ε, else updates."""
        losses = []
        for _ in range(max_iteration):
            y = self.forward(x)                   # step 2
            losses.append(self.error(y, t))       # step 3
            if losses[-1] < epsilon:              # step 4: E < ε, stop (no update)
                break
            self.backward(t)                      # steps 4-5: gradients, then update
        return losses


def load_data(name):
    """data/<name>.csv -> x (N, 12) の画素, t (N, 2) の one-hot (列 0 = C, 列 1 = T)."""
    table = np.loadtxt(DATA / f"{name}.csv", delimiter=",", skiprows=1)
    x = table[:, :12]
    t = np.eye(2)[table[:, 12].astype(int)]
    return x, t


def plot_training(losses, epsilon, accuracies, file_name="ct_training.png"):
    """outputs/<file_name>: E per iteration with the ε line; the accuracies as bars."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(np.arange(len(losses)), losses, label="E")
    left.axhline(epsilon, color="tab:red", linestyle="--", label="epsilon")
    left.set_xlabel("iteration k")
    left.set_ylabel("error E")
    left.legend()
    names = list(accuracies)
    right.bar(names, [accuracies[name] for name in names])
    right.set_ylim(0, 1.05)
    right.set_ylabel("accuracy")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / file_name, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    x_train, t_train = load_data("ct_train")
    x_test, t_test = load_data("ct_test")
    net = CTNet(np.random.default_rng(0), learning_rate=LEARNING_RATE)
    losses = net.train_until(x_train, t_train, EPSILON, MAX_ITERATION)
    accuracies = {"ct_train": net.accuracy(x_train, t_train),
                  "ct_test": net.accuracy(x_test, t_test)}
    print(f"{len(losses)} iterations, E = {losses[-1]:.4f} (epsilon = {EPSILON})")
    print(f"accuracy: ct_train {accuracies['ct_train']:.3f}, ct_test {accuracies['ct_test']:.3f}")
    for pattern in (PATTERN_C, PATTERN_T):
        y = net.forward(pattern.reshape(1, 12))
        print(pattern.astype(int), "->", LABELS[int(np.argmax(y))], np.round(y, 3))
    plot_training(losses, EPSILON, accuracies)
