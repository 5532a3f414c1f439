"""パーセプトロン / perceptron"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


class Perceptron:
    """y = x w + b. backward は勾配を計算し、前のノードへの勾配を返してから重みを更新する."""

    def __init__(self, n_in, n_out, learning_rate=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.w = rng.standard_normal((n_in, n_out))
        self.b = rng.standard_normal(n_out)
        self.lr = learning_rate
        self.x = None
        self.g_w = None
        self.g_b = None

    def forward(self, x):
        self.x = x
        return x @ self.w + self.b

    def backward(self, g):
        self.g_w = self.x.T @ g          # (n_in, N) @ (N, n_out): sum over the batch
        self.g_b = np.sum(g, axis=0)
        g_x = g @ self.w.T               # with the weights *before* the update
        self.w = self.w - self.lr * self.g_w
        self.b = self.b - self.lr * self.g_b
        return g_x


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2; backward は 2 (y - t) を返す (和も平均もとらない)."""

    def __init__(self):
        self.diff = None

    def forward(self, y, t):
        self.diff = y - t
        return float(np.sum(self.diff ** 2) / len(y))

    def backward(self):
        return 2 * self.diff


def train(x, t, model, loss_fn, max_iteration):
    """スライドの学習ループ: forward, loss, loss backward, model backward."""
    losses = []
    for _ in range(max_iteration):
        y = model.forward(x)
        loss = loss_fn.forward(y, t)
        g = loss_fn.backward()
        model.backward(g)
        losses.append(loss)
    return losses


class Function1:
    """スライドの 1 ノード y = a x."""

    def __init__(self, a=1.0, learning_rate=0.01):
        self.a = a
        self.lr = learning_rate
        self.x = None
        self.g_a = None

    def forward(self, x):
        self.x = x
        return self.a * x

    def backward(self, g):
        self.g_a = g * self.x
        g_x = g * self.a                 # with the old a
        self.a = self.a - self.lr * self.g_a
        return g_x


def load_data():
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
