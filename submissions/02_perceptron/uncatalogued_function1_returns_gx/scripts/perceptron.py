"""パーセプトロンを計算グラフのノードとして実装する / Single-layer perceptron as graph nodes.

実行 / run:  uv run perceptron.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


class Perceptron:
    """y = x w + b (x: (N, n_in), w: (n_in, n_out), b: (n_out,))."""

    def __init__(self, n_in, n_out, learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.w = rng.standard_normal((n_in, n_out))
        self.b = rng.standard_normal(n_out)
        self.lr = learning_rate

    def forward(self, x):
        """x を記憶して x @ w + b を返す."""
        self.x = x
        return x @ self.w + self.b

    def backward(self, g):
        """平均 (mean) の流儀: 勾配をデータ数 N で割る."""
        n = self.x.shape[0]
        self.g_w = self.x.T @ g / n
        self.g_b = np.sum(g, axis=0) / n
        dx = g @ self.w.T
        self.w -= self.lr * self.g_w
        self.b -= self.lr * self.g_b
        return dx


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2."""

    def forward(self, y, t):
        self.diff = y - t
        self.loss = np.mean(self.diff ** 2)
        return self.loss

    def backward(self):
        return 2 * self.diff


def train(x, t, model, loss_fn, max_iteration):
    """学習ループ. 誤差のリストを返す."""
    losses = []
    for i in range(max_iteration):
        y = model.forward(x)
        loss = loss_fn.forward(y, t)
        g = loss_fn.backward()
        g = model.backward(g)
        losses.append(loss)
    return losses


class Function1:
    """スライドの 1 ノード y = a x / the slides' single node y = a x."""

    def __init__(self, a=1.0, learning_rate=0.01):
        self.a = a
        self.lr = learning_rate
        self.x = None
        self.g_a = None

    def forward(self, x):
        self.x = x
        return self.a * self.x

    def backward(self, g):
        self.g_a = g * self.x
        old_a = self.a
        self.a = self.a - self.lr * self.g_a
        return g * self.x


def load_data():
    """TV, Radio, Newspaper (100 単位) と Sales / features (in hundreds) and Sales."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["TV"], table["Radio"], table["Newspaper"]]) / 100.0
    t = table["Sales"].reshape(-1, 1)
    return x, t


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, t = load_data()
    model = Perceptron(3, 1, learning_rate=0.0005, rng=np.random.default_rng(0))
    losses = train(x, t, model, MeanSquaredError(), max_iteration=2000)
    print("w =", np.round(model.w.ravel(), 6))
    print("b =", np.round(model.b, 6))

    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(losses)
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("E")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "perceptron.png", dpi=80)
