"""4x3 画素の「C」「T」を見分けるニューラルネットワーク (スライド: 知の探究 5. AI・機械学習).

A neural network that tells the 4x3-pixel letters "C" and "T" apart.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run ct_classifier.py   (scripts/ の中で / from scripts/)

ネットワーク / the network (N はデータの数 / N samples):

    x (N, 12) 画素 0/1 ─ 最後に -1 を付ける ─▶ x̃ (N, 13)
    u = x̃ @ W1  (N, 3)        z = sigmoid(u)   中間層 3 ユニット / 3 hidden units
    z̃ = z に -1 を付ける (N, 4)
    a = z̃ @ W2  (N, 2)        y = softmax(a)   出力 2 つ: 列 0 = C, 列 1 = T
    E = -(1/N) Σ_n Σ_k t_nk log(y_nk + 1e-7)   交差エントロピー誤差 (バッチの平均)

しきい値 θ は「定数入力 -1 に掛かる重み」として重みに含めます (スライドの書き方):
u_v = Σ_i w_iv x_i - θ_v = Σ_i w_iv x_i + θ_v × (-1)。
W1 の列 v は w_v = (w_1v, ..., w_12v, θ_v)、つまり W1 の最後の行 (W1[12]) が中間層の θ、
W2 の最後の行 (W2[3]) が出力層の θ です。パラメータは 13×3 + 4×2 = 47 個。
Thresholds are weights on a constant input -1 appended to x (and to z): the last row
of W1 (13, 3) holds the hidden units' θ, the last row of W2 (4, 2) the outputs' θ.
47 parameters in all.

t は one-hot (N, 2): C = [1, 0], T = [0, 1]。
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"

PATTERN_C = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0], [0, 1, 1]], dtype=float)
PATTERN_T = np.array([[1, 1, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0]], dtype=float)
LABELS = ("C", "T")


def with_threshold_input(x):
    """最後の列に -1 を付ける (np.hstack)."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    return np.hstack((x, np.full((len(x), 1), -1.0)))


def sigmoid(u):
    """1 / (1 + exp(-u)); 大きな負の u でも overflow 警告が出ないよう tanh で書く."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(u, dtype=np.float64)))


def softmax(a):
    """行ごとの softmax."""
    a = np.asarray(a, dtype=np.float64)
    c = a.max(axis=-1, keepdims=True)
    exp_a = np.exp(a - c)
    return exp_a / exp_a.sum(axis=-1, keepdims=True)


def cross_entropy(y, t):
    """バッチ平均の交差エントロピー."""
    per_pattern = -np.sum(t * np.log(y + 1e-7), axis=1)   # e_p
    return float(np.mean(per_pattern))


def squared_error(y, t):
    """2乗誤差 e_p = ½ Σ_k (t_pk - y_pk)^2 のバッチ平均 (float)."""
    return float(0.5 * np.sum((t - y) ** 2) / y.shape[0])


class CTNet:
    """12 -> 3 (sigmoid) -> 2 (softmax)。初期値は Xavier (スライド「補足」: sigmoid には Xavier)."""

    n_in, n_hidden, n_out = 12, 3, 2

    def __init__(self, rng, learning_rate=1.0):
        self.rng = rng
        # Xavier: std = 1/sqrt(前の層のノード数)  (θ の行も含めて同じ尺度)
        self.W1 = rng.standard_normal((self.n_in + 1, self.n_hidden)) / np.sqrt(self.n_in)
        self.W2 = rng.standard_normal((self.n_hidden + 1, self.n_out)) / np.sqrt(self.n_hidden)
        self.lr = learning_rate
        self.g_W1 = np.zeros_like(self.W1)
        self.g_W2 = np.zeros_like(self.W2)
        self.history = []

    def forward(self, x):
        self.x_ = with_threshold_input(x)
        self.u = np.dot(self.x_, self.W1)
        self.z = sigmoid(self.u)
        self.z_ = with_threshold_input(self.z)
        self.a = np.dot(self.z_, self.W2)
        self.y = softmax(self.a)
        return self.y

    def error(self, y, t):
        """このネットワークの誤差 E (softmax + 交差エントロピー誤差)."""
        return cross_entropy(y, t)

    def backward(self, t):
        t = np.asarray(t, dtype=np.float64)
        batch = len(t)
        W2_old = self.W2.copy()                       # 更新前の W2
        self.delta2 = (self.y - t) / batch
        self.g_W2 = np.dot(self.z_.T, self.delta2)
        self.delta1 = np.dot(self.delta2, W2_old[:self.n_hidden].T) * (self.z * (1.0 - self.z))
        self.g_W1 = np.dot(self.x_.T, self.delta1)
        self.W1 -= self.lr * self.g_W1
        self.W2 -= self.lr * self.g_W2

    def predict(self, x):
        return self.forward(x).argmax(axis=1)

    def accuracy(self, x, t):
        return (self.predict(x) == t.argmax(axis=1)).sum() / float(len(t))

    def train(self, x, t, max_iteration):
        losses = []
        for _ in range(max_iteration):
            losses.append(cross_entropy(self.forward(x), t))
            self.backward(t)
        self.history.extend(losses)
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
    """data/<name>.csv -> x (N, 12) の画素, t (N, 2) の one-hot (列 0 = C, 列 1 = T).

    name: "ct_train" (26 個) または "ct_test" (40 個)。
    """
    table = np.loadtxt(DATA / f"{name}.csv", delimiter=",", skiprows=1)
    x = table[:, :12]
    t = np.eye(2)[table[:, 12].astype(int)]
    return x, t


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
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_train, t_train = load_data("ct_train")
    x_test, t_test = load_data("ct_test")
    net = CTNet(np.random.default_rng(0), learning_rate=1.0)
    losses, accuracies = [], []
    for _ in range(300):
        losses += net.train(x_train, t_train, 1)
        accuracies.append(net.accuracy(x_test, t_test))
    print(f"training loss {losses[-1]:.4f}")
    print(f"test accuracy {accuracies[-1]:.3f}")
    for pattern in (PATTERN_C, PATTERN_T):
        y = net.forward(pattern.reshape(1, 12))
        print(pattern.astype(int), "->", LABELS[int(np.argmax(y))], np.round(y, 3))

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(losses)
    left.set_xlabel("iteration")
    left.set_ylabel("cross-entropy E")
    right.plot(accuracies)
    right.set_ylim(0, 1.05)
    right.set_xlabel("iteration")
    right.set_ylabel("test accuracy")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "ct_classifier.png", dpi=80)
