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
    """各行の *最後* に定数入力 -1 の列を付ける: (N, n) -> (N, n + 1)."""
    x = np.asarray(x, dtype=float)
    return np.concatenate([x, -np.ones((x.shape[0], 1))], axis=1)


def sigmoid(u):
    """シグモイド関数 1 / (1 + exp(-u)) (要素ごと / elementwise)."""
    return 1.0 / (1.0 + np.exp(-u))


def softmax(a):
    """行ごとの softmax (各行の最大値を引いてから exp)."""
    a = a - np.max(a, axis=1, keepdims=True)
    e = np.exp(a)
    return e / np.sum(e, axis=1, keepdims=True)


def cross_entropy(y, t):
    """交差エントロピー誤差 E = -(1/N) Σ_n Σ_k t_nk log(y_nk + 1e-7) (float)."""
    n = y.shape[0]
    return float(-np.sum(t * np.log(y + 1e-7)) / n)


def squared_error(y, t):
    """2乗誤差 e_p = ½ Σ_k (t_pk - y_pk)^2 のバッチ平均 (float)."""
    return float(0.5 * np.sum((t - y) ** 2) / y.shape[0])


class CTNet:
    """12 -> 3 (sigmoid) -> 2 (softmax) のネットワーク."""

    def __init__(self, rng, learning_rate=1.0):
        self.W1 = rng.standard_normal((13, 3))
        self.W2 = rng.standard_normal((4, 2))
        self.lr = learning_rate

    def forward(self, x):
        self.x_t = with_threshold_input(x)
        self.u = self.x_t @ self.W1
        self.z = sigmoid(self.u)
        self.z_t = with_threshold_input(self.z)
        self.a = self.z_t @ self.W2
        self.y = softmax(self.a)
        return self.y

    def error(self, y, t):
        """このネットワークの誤差 E (softmax + 交差エントロピー誤差)."""
        return cross_entropy(y, t)

    def backward(self, t):
        n = self.y.shape[0]
        delta2 = (self.y - t) / n
        self.g_W2 = self.z_t.T @ delta2
        delta1 = (delta2 @ self.W2[1:].T) * self.z * (1 - self.z)
        self.g_W1 = self.x_t.T @ delta1
        self.W2 = self.W2 - self.lr * self.g_W2
        self.W1 = self.W1 - self.lr * self.g_W1

    def predict(self, x):
        return np.argmax(self.forward(x), axis=1)

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x) == np.argmax(t, axis=1)))

    def train(self, x, t, max_iteration):
        losses = []
        for _ in range(max_iteration):
            y = self.forward(x)
            losses.append(cross_entropy(y, t))
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
