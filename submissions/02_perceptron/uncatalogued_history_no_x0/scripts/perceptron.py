"""パーセプトロンを計算グラフのノードとして実装する / Single-layer perceptron as graph nodes.

勾配はバッチの平均 (N で割る) を使う。
実行 / run:  uv run perceptron.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


class Perceptron:
    """y = x w + b (x: (N, n_in), w: (n_in, n_out), b: (n_out,))."""

    def __init__(self, n_in, n_out, learning_rate=0.01, rng=None):
        rng = rng or np.random.default_rng()
        self.w = rng.standard_normal((n_in, n_out))
        self.b = rng.standard_normal(n_out)
        self.lr = learning_rate
        self.x = self.g_w = self.g_b = None

    def forward(self, x):
        self.x = np.array(x, dtype=float)  # コピーを持っておく
        return np.dot(self.x, self.w) + self.b.reshape(1, -1)

    def backward(self, g):
        g = np.asarray(g, dtype=float)
        # 平均 / batch mean
        self.g_w = np.dot(self.x.T, g) / len(g)
        self.g_b = np.mean(g, axis=0)
        g_x = np.dot(g, self.w.T)
        self.w = self.w - self.lr * self.g_w
        self.b = (self.b.reshape(1, -1) - self.lr * self.g_b.reshape(1, -1)).reshape(-1)
        return g_x

    def __call__(self, x):
        return self.forward(x)


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2."""

    def __init__(self):
        self.diff = None
        self.loss = None

    def forward(self, y, t):
        self.diff = np.subtract(y, t)
        self.loss = float(np.square(self.diff).sum() / self.diff.shape[0])
        return self.loss

    def backward(self):
        return np.multiply(2.0, self.diff)


def train(x, t, model, loss_fn, max_iteration):
    history = []
    for _ in range(max_iteration):
        loss = loss_fn.forward(model.forward(x), t)
        model.backward(loss_fn.backward())
        history.append(loss)
    return history


class Function1:
    """スライドの 1 ノード y = a x / the slides' single node y = a x."""

    def __init__(self, a=1.0, learning_rate=0.01):
        self.a = a
        self.lr = learning_rate
        self.x = None
        self.g_a = None

    def forward(self, x):
        self.x = x
        return np.multiply(self.a, x)

    def backward(self, g):
        self.g_a = np.multiply(g, self.x)
        g_out = np.multiply(g, self.a)
        self.a = self.a - self.lr * self.g_a
        return g_out


def load_data():
    """TV, Radio, Newspaper (100 単位) と Sales / features (in hundreds) and Sales."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["TV"], table["Radio"], table["Newspaper"]]) / 100.0
    t = table["Sales"].reshape(-1, 1)
    return x, t


def r2_score(y, t):
    return 1.0 - np.sum(np.pow(y - t, 2)) / np.sum(np.pow(t - t.mean(), 2))


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, t = load_data()
    # 平均の流儀なので学習率を大きくする / mean convention: larger learning rate
    model = Perceptron(3, 1, learning_rate=0.1, rng=np.random.default_rng(0))
    losses = train(x, t, model, MeanSquaredError(), max_iteration=20000)
    print("w =", np.round(model.w.ravel(), 6))
    print("b =", np.round(model.b, 6))
    print("R^2 =", r2_score(model.forward(x), t))

    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(losses)
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("E")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "perceptron.png", dpi=80)
