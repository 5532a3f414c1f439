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
    """各行の最後に定数入力 -1 を付ける (スライド: x = (x_1, ..., x_n, -1))."""
    x = np.asarray(x, dtype=float)
    minus_one = np.full((x.shape[0], 1), -1.0)
    return np.concatenate((x, minus_one), axis=1)


def sigmoid(u):
    """σ(s) = 1 / (1 + e^{-s})."""
    return 1.0 / (1.0 + np.exp(-u))


def softmax(a):
    """行ごとの softmax (スライド: z̄_k = e^{z_k} / (e^{z_1} + e^{z_2}))."""
    shifted = a - np.max(a, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


def cross_entropy(y, t):
    """誤差の総和 E = e_1 + e_2 + ...,  e_p = -(t_1 log z_1 + t_2 log z_2).

    スライド「誤差 error 評価で機械学習」「誤差総和 E の最小化」の通り、パターンごとの
    誤差 e_p の *和* をとる (N で割らない)。log(0) を避けるため + 1e-7。
    """
    return float(-np.sum(t * np.log(y + 1e-7)))


def squared_error(y, t):
    """2乗誤差の総和 E = e_1 + e_2 + ...,  e_p = ½ Σ_k (t_pk - y_pk)^2 (float)."""
    return float(0.5 * np.sum((t - y) ** 2))


class CTNet:
    """12 -> 3 (sigmoid) -> 2 (softmax)、誤差は総和 E = Σ_p e_p (スライド 001)."""

    def __init__(self, rng, learning_rate=1.0):
        self.W1 = rng.standard_normal((13, 3))
        self.W2 = rng.standard_normal((4, 2))
        self.lr = learning_rate

    def forward(self, x):
        self.x_tilde = with_threshold_input(x)
        self.z = sigmoid(self.x_tilde @ self.W1)
        self.z_tilde = with_threshold_input(self.z)
        self.y = softmax(self.z_tilde @ self.W2)
        return self.y

    def error(self, y, t):
        """このネットワークの誤差 E (softmax + 交差エントロピー誤差の総和)."""
        return cross_entropy(y, t)

    def backward(self, t):
        # ∂E/∂w = ∂e_1/∂w + ∂e_2/∂w + ... (スライド「例題の誤差総和 E の最急降下方向」)
        # 行列積 z̃.T @ δ2 がパターンについての和をとる。N では割らない。
        delta2 = self.y - t                                         # ∂e_p/∂s^o (softmax + CE)
        self.g_W2 = self.z_tilde.T @ delta2
        delta1 = (delta2 @ self.W2[:-1].T) * self.z * (1.0 - self.z)  # 更新前の W2, θ 行は除く
        self.g_W1 = self.x_tilde.T @ delta1
        # w^{k+1} = w^k + η Δw,  Δw = -∇E
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
        """機械学習のアルゴリズム: E < ε なら終了、そうでなければ勾配を求めて更新."""
        losses = []
        for k in range(max_iteration):
            E = self.error(self.forward(x), t)
            losses.append(E)
            if E < epsilon:
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
    net = CTNet(np.random.default_rng(0), learning_rate=0.1)  # E は総和なので小さめの η
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
    left.set_ylabel("cross-entropy E (sum)")
    right.plot(accuracies)
    right.set_ylim(0, 1.05)
    right.set_xlabel("iteration")
    right.set_ylabel("test accuracy")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "ct_classifier.png", dpi=80)
