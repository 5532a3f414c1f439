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
    """各行の最後に -1 を付ける (1 行ずつ)."""
    rows = []
    for row in np.asarray(x, dtype=float):
        rows.append(list(row) + [-1.0])
    return np.array(rows, dtype=float).reshape(len(rows), -1)


def sigmoid(u):
    """σ(s) = 1 / (1 + e^{-s})."""
    return 1.0 / (1.0 + np.exp(-np.asarray(u, dtype=float)))


def softmax(a):
    """行ごとの softmax (1 行ずつ、最大値を引いてから exp)."""
    a = np.asarray(a, dtype=float)
    out = np.empty_like(a)
    for n in range(a.shape[0]):
        m = max(a[n])
        total = 0.0
        for k in range(a.shape[1]):
            out[n, k] = np.exp(a[n, k] - m)
            total += out[n, k]
        for k in range(a.shape[1]):
            out[n, k] /= total
    return out


def cross_entropy(y, t):
    """E = -(1/N) Σ_n Σ_k t_nk log(y_nk + 1e-7)."""
    n_patterns = len(y)
    total = 0.0
    for n in range(n_patterns):
        e_p = 0.0
        for k in range(len(y[n])):
            e_p -= t[n][k] * np.log(y[n][k] + 1e-7)
        total += e_p
    return float(total / n_patterns)


def squared_error(y, t):
    """2乗誤差 e_p = ½ Σ_k (t_pk - y_pk)^2 のバッチ平均 (float)."""
    return float(0.5 * np.sum((t - y) ** 2) / y.shape[0])


class CTNet:
    """12 -> 3 (sigmoid) -> 2 (softmax)。勾配はスライドの手計算 (47 個の偏微分) をループで."""

    def __init__(self, rng, learning_rate=1.0):
        self.W1 = rng.standard_normal((13, 3))
        self.W2 = rng.standard_normal((4, 2))
        self.lr = learning_rate

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        n_patterns = x.shape[0]
        self.xs = with_threshold_input(x)             # (N, 13)
        self.h = np.zeros((n_patterns, 3))            # 中間層の出力 h_i
        self.hs = np.zeros((n_patterns, 4))           # (h_1, h_2, h_3, -1)
        self.s_o = np.zeros((n_patterns, 2))
        for p in range(n_patterns):
            for i in range(3):
                s = 0.0
                for l in range(13):                   # w_1i x_1 + ... + w_12,i x_12 + θ_i (-1)
                    s += self.W1[l, i] * self.xs[p, l]
                self.h[p, i] = sigmoid(s)
            self.hs[p, :3] = self.h[p]
            self.hs[p, 3] = -1.0
            for j in range(2):
                s = 0.0
                for i in range(4):
                    s += self.W2[i, j] * self.hs[p, i]
                self.s_o[p, j] = s
        self.y = softmax(self.s_o)
        return self.y

    def error(self, y, t):
        """このネットワークの誤差 E (softmax + 交差エントロピー誤差)."""
        return cross_entropy(y, t)

    def backward(self, t):
        n_patterns = self.y.shape[0]
        g_W2 = np.zeros((4, 2))
        g_W1 = np.zeros((13, 3))
        for p in range(n_patterns):
            # 出力層: ∂e_p/∂s_j^o = z_j - t_j (softmax + 交差エントロピー)、バッチ平均なので / N
            d_o = [(self.y[p, j] - t[p][j]) / n_patterns for j in range(2)]
            # 出力層の勾配 (重み 3 + 閾値 1) × 2 = 8 個
            for j in range(2):
                for i in range(3):
                    g_W2[i, j] += d_o[j] * self.h[p, i]     # ∂s_j/∂w_ij = h_i
                g_W2[3, j] += -d_o[j]                        # ∂s_j/∂θ_j = -1
            # 隠れ層の勾配 (重み 12 + 閾値 1) × 3 = 39 個 (更新前の W2 を使う)
            for i in range(3):
                back = 0.0
                for j in range(2):
                    back += d_o[j] * self.W2[i, j]
                d_h = back * self.h[p, i] * (1.0 - self.h[p, i])   # a'(s_i^H) = h(1 - h)
                for l in range(12):
                    g_W1[l, i] += d_h * self.xs[p, l]
                g_W1[12, i] += -d_h                                # ∂s_i^H/∂θ_i = -1
        self.g_W2 = g_W2
        self.g_W1 = g_W1
        # 勾配を全部求めてから更新 w <- w - η ∂E/∂w
        for i in range(4):
            for j in range(2):
                self.W2[i, j] -= self.lr * g_W2[i, j]
        for l in range(13):
            for i in range(3):
                self.W1[l, i] -= self.lr * g_W1[l, i]

    def predict(self, x):
        y = self.forward(x)
        labels = []
        for row in y:
            labels.append(0 if row[0] >= row[1] else 1)
        return np.array(labels)

    def accuracy(self, x, t):
        labels = self.predict(x)
        correct = 0
        for p in range(len(labels)):
            if labels[p] == int(np.argmax(t[p])):
                correct += 1
        return correct / len(labels)

    def train(self, x, t, max_iteration):
        losses = []
        for _ in range(max_iteration):
            y = self.forward(x)
            losses.append(cross_entropy(y, t))
            self.backward(t)
        return losses

    def train_until(self, x, t, epsilon, max_iteration):
        """スライドのアルゴリズムの手順 2〜5 (E < ε で終了)."""
        losses = []
        k = 0
        while True:
            if k == max_iteration:
                break
            y = self.forward(x)                # 手順 2
            E = cross_entropy(y, t)            # 手順 3
            losses.append(E)
            if E < epsilon:                    # 手順 4
                break
            self.backward(t)                   # 手順 4, 5
            k = k + 1
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
