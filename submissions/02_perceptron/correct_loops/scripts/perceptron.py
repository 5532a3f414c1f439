"""パーセプトロンを計算グラフのノードとして実装する / Single-layer perceptron as graph nodes.

ループで書いた版 (for 文で 1 データずつ)。
実行 / run:  uv run perceptron.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


class Perceptron:
    """y = x w + b (x: (N, n_in), w: (n_in, n_out), b: (n_out,))."""

    def __init__(self, n_in, n_out, learning_rate=0.01, rng=None):
        if rng is None:
            rng = np.random.default_rng()
        self.n_in = n_in
        self.n_out = n_out
        self.w = rng.standard_normal((n_in, n_out))
        self.b = rng.standard_normal(n_out)
        self.lr = learning_rate

    def forward(self, x):
        self.x = x
        n_data = x.shape[0]
        n_in, n_out = self.w.shape
        y = np.zeros((n_data, n_out))
        for k in range(n_data):
            for j in range(n_out):
                s = self.b[j]
                for i in range(n_in):
                    s += x[k, i] * self.w[i, j]
                y[k, j] = s
        return y

    def backward(self, g):
        n_data = self.x.shape[0]
        n_in, n_out = self.w.shape
        # 勾配 (バッチの和 / batch sum)
        self.g_w = np.zeros((n_in, n_out))
        self.g_b = np.zeros(n_out)
        for k in range(n_data):
            for j in range(n_out):
                self.g_b[j] += g[k, j]
                for i in range(n_in):
                    self.g_w[i, j] += self.x[k, i] * g[k, j]
        # 前のノードへの勾配 (更新前の w)
        g_x = np.zeros((n_data, n_in))
        for k in range(n_data):
            for i in range(n_in):
                for j in range(n_out):
                    g_x[k, i] += g[k, j] * self.w[i, j]
        # 更新
        new_w = np.zeros((n_in, n_out))
        for i in range(n_in):
            for j in range(n_out):
                new_w[i, j] = self.w[i, j] - self.lr * self.g_w[i, j]
        new_b = np.zeros(n_out)
        for j in range(n_out):
            new_b[j] = self.b[j] - self.lr * self.g_b[j]
        self.w = new_w
        self.b = new_b
        return g_x


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2."""

    def forward(self, y, t):
        self.diff = np.zeros(y.shape)
        total = 0.0
        for k in range(y.shape[0]):
            for j in range(y.shape[1]):
                self.diff[k, j] = y[k, j] - t[k, j]
                total += self.diff[k, j] ** 2
        return total / y.shape[0]

    def backward(self):
        out = np.zeros(self.diff.shape)
        for k in range(self.diff.shape[0]):
            for j in range(self.diff.shape[1]):
                out[k, j] = 2 * self.diff[k, j]
        return out


def train(x, t, model, loss_fn, max_iteration):
    losses = []
    for it in range(max_iteration):
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
        y = self.a * x
        return y

    def backward(self, g):
        self.g_a = g * self.x
        g_h1 = self.a
        out = g * g_h1
        self.a = self.a - self.lr * self.g_a
        return out


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
