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
        self.w = rng.standard_normal((n_in, n_out))  # 乱数
        self.b = rng.standard_normal(n_out)  # 乱数
        self.lr = learning_rate  # 学習率

    def forward(self, x):
        self.x = x  # 後で勾配計算に使う
        return self.x @ self.w + self.b

    def backward(self, g):
        # 勾配計算
        self.g_w = self.x.T @ g
        self.g_b = np.sum(g)
        g = g @ self.w.T
        # 更新
        self.w = self.w - self.lr * self.g_w
        self.b = self.b - self.lr * self.g_b
        return g


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2."""

    def __init__(self):
        self.diff = None
        self.loss = None

    def forward(self, y, t):
        self.diff = y - t  # 逆伝播で使う
        self.loss = np.mean(np.pow(self.diff, 2))
        return self.loss

    def backward(self):
        return 2 * self.diff  # 総和や平均を取らない


def train(x, t, model, loss_fn, max_iteration):
    """学習ループ: forward → loss → loss backward → model backward."""
    losses = []
    for i in range(max_iteration):
        # 順伝播
        y = model.forward(x)
        # 誤差計算
        loss = loss_fn.forward(y, t)
        losses.append(loss)
        # 誤差関数の勾配を計算
        g = loss_fn.backward()
        # 誤差逆伝播で勾配を計算し更新
        g = model.backward(g)
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
        return self.a * x  # h1の計算

    def backward(self, g):
        # スライドの順番のまま: 偏微分値の計算 → 更新式 → g*g_h1を返す
        self.g_a = g * self.x  # 偏微分値の計算
        self.a = self.a - self.lr * self.g_a  # 更新式
        return g * self.a  # g*g_h1を返す


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
