"""パーセプトロンを計算グラフのノードとして実装する / Single-layer perceptron as graph nodes.

TODO の部分を実装してください。 Fill in the parts marked TODO.
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
        # TODO: self.w (n_in, n_out) と self.b (n_out,) を rng.standard_normal で初期化し、
        #       self.lr に学習率を入れる。
        #       Initialise self.w (n_in, n_out) and self.b (n_out,) with rng.standard_normal,
        #       and store the learning rate in self.lr.
        raise NotImplementedError("Perceptron.__init__")

    def forward(self, x):
        """x を記憶して x @ w + b を返す / store x and return x @ w + b."""
        # TODO: 実装する / implement
        raise NotImplementedError("Perceptron.forward")

    def backward(self, g):
        """上流の勾配 g (N, n_out) から誤差逆伝播法で勾配を求め、重みを更新する.

        1. self.g_w = x.T @ g,  self.g_b = Σ_rows g   (和 / batch sum)
           両方を N で割った平均でもよい (スライド 004 「平均二乗誤差関数と逆伝播(2)」)
           / or both divided by N (the batch mean): both earn full marks
        2. 前のノードへの勾配 g @ w.T を *更新前の* w で計算する
           (compute the gradient for the previous node with w *before* the update)
        3. w <- w - lr g_w,  b <- b - lr g_b
        4. 2 の勾配を返す / return the gradient from step 2
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Perceptron.backward")


class MeanSquaredError:
    """E = (1/N) Σ (y - t)^2."""

    def forward(self, y, t):
        """diff = y - t を記憶して E を返す / store diff = y - t and return E."""
        # TODO: 実装する / implement
        raise NotImplementedError("MeanSquaredError.forward")

    def backward(self):
        """2 (y - t) を返す (和も平均もとらない) / return 2 (y - t), no sum, no mean."""
        # TODO: 実装する / implement
        raise NotImplementedError("MeanSquaredError.backward")


def train(x, t, model, loss_fn, max_iteration):
    """学習ループ: forward → loss → loss backward → model backward. 誤差のリストを返す.

    The training loop; returns the list of losses (one per iteration).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("train")


class Function1:
    """スライドの 1 ノード y = a x / the slides' single node y = a x."""

    def __init__(self, a=1.0, learning_rate=0.01):
        self.a = a
        self.lr = learning_rate
        self.x = None
        self.g_a = None

    def forward(self, x):
        """x を記憶して a x を返す / store x and return a x."""
        # TODO: 実装する / implement
        raise NotImplementedError("Function1.forward")

    def backward(self, g):
        """self.g_a = g x を求め、a <- a - lr g_a と更新し、g a を返す.

        返す g a の a は更新前の a でも、スライド 004 「計算グラフの一般化(4)」 のコードの
        順のとおり更新後の a でもよい (どちらも満点)。
        Set self.g_a = g x, update a <- a - lr g_a and return g a, with the old a or, in
        the literal order of the slide's code, the new a (both earn full marks).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("Function1.backward")


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
    # 0.0005 は g_w, g_b をバッチの和で計算する場合の学習率。平均で計算するなら N (= 200) 倍に
    # できます。/ The rate suits gradients summed over the batch; with the mean, it can be
    # N (= 200) times larger.
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
