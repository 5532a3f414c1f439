"""2 層ニューラルネットワークによる回帰 / Regression with a two-layer network.

TODO の部分を実装してください。 Fill in the parts marked TODO.
002 「[演習] 2層NNを学習するクラスの実装」 (2_11): 単純な回帰問題 (y = sin(x) + ノイズ、
data/regression.csv) を 2 層のネットワークで解き、学習が進むと損失が小さくなることを確かめます。
layers.py のレイヤを使い、出力層は恒等関数 (活性化関数なし)、損失は MeanSquaredError です。
Solve a simple regression problem (y = sin(x) + noise) with a two-layer network built
from the layers of layers.py: an identity output (no activation after the last Affine)
and the MeanSquaredError layer.
実行 / run:  uv run regression.py   (scripts/ の中で / from scripts/)
            → outputs/regression_fit.png
"""

from pathlib import Path

import numpy as np

from layers import Affine, MeanSquaredError, Relu

DATA = Path(__file__).resolve().parent.parent / "data" / "regression.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def load_regression_data():
    """(x, t): two (N, 1) float64 arrays read from data/regression.csv (columns x, t)."""
    table = np.loadtxt(DATA, delimiter=",", skiprows=1, ndmin=2)
    return table[:, :1].copy(), table[:, 1:2].copy()


class RegressionNet:
    """Affine - Relu - Affine - MeanSquaredError (出力は恒等関数 / identity output).

    隠れ層の活性化関数は Relu の代わりに Sigmoid や Tanh でもかまいません。
    The hidden layer may use Sigmoid or Tanh instead of Relu.
    """

    def __init__(self, input_size=1, hidden_size=20, output_size=1, weight_init_std=0.5,
                 rng=None):
        """self.params {'W1', 'b1', 'W2', 'b2'}、各レイヤ、self.last_layer を作る.

        TwoLayerNet と同じく W は weight_init_std * rng.standard_normal(...)、b は 0。
        レイヤは params の配列そのものを使うこと。最後のレイヤは MeanSquaredError()。
        As in TwoLayerNet: W = weight_init_std * rng.standard_normal(...), b = zeros; the
        layers use the very arrays in params; the last layer is MeanSquaredError().
        """
        rng = np.random.default_rng() if rng is None else rng
        # TODO: 実装する / implement
        raise NotImplementedError("RegressionNet.__init__")

    def predict(self, x):
        """出力 (N, output_size) を返す: 各レイヤの forward を順に (最後に活性化関数はない).

        Return the output: each layer's forward in order (no activation at the end).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("RegressionNet.predict")

    def loss(self, x, t):
        """MeanSquaredError の損失 (predict(x) と t) を返す / return the MSE loss."""
        # TODO: 実装する / implement
        raise NotImplementedError("RegressionNet.loss")

    def gradient(self, x, t):
        """誤差逆伝播法による勾配 {'W1', 'b1', 'W2', 'b2'} を返す.

        forward (self.loss) → self.last_layer.backward() → 各レイヤの backward を逆順に。
        Forward (self.loss), backward through the MeanSquaredError layer and the layers in
        reverse order; return the Affine layers' dW and db.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("RegressionNet.gradient")


def fit(net, x, t, iters_num=2000, batch_size=20, learning_rate=0.002, rng=None):
    """ミニバッチ SGD で学習し、損失のリスト loss_list を返す.

    各反復: batch_mask = rng.choice(train_size, batch_size) でミニバッチを選び、
    grad = net.gradient(x_batch, t_batch)、net.params[key] -= learning_rate * grad[key]
    (その場で更新)、ミニバッチの損失 net.loss(x_batch, t_batch) を loss_list に追加。
    004 「平均二乗誤差関数と逆伝播」 のように更新のときに平均をとって
    learning_rate * grad[key] / batch_size としてもかまいません。
    net について使うのは net.params, net.gradient, net.loss だけにすること。
    Each iteration: pick a mini-batch with rng.choice(train_size, batch_size), compute
    net.gradient on it, update net.params[key] -= learning_rate * grad[key] in place (or
    take the mean at the update, learning_rate * grad[key] / batch_size, as deck 004
    allows), and append net.loss of the mini-batch. Use only net.params, net.gradient
    and net.loss. 既定の学習率は骨組みの MeanSquaredError (バッチで総和) 向けです /
    the default learning rate suits the skeleton's MeanSquaredError (a batch sum).
    """
    rng = np.random.default_rng() if rng is None else rng
    # TODO: 実装する / implement
    raise NotImplementedError("fit")


def plot_fit(x, t, x_line, y_line, losses, path=None):
    """図を outputs/regression_fit.png (path が None のとき) に保存する.

    データ (x, t) の散布図と学習したネットワークの曲線 (x_line, y_line)、損失の推移 (losses) を
    描き、plt.savefig(path) で保存して plt.close する (300 x 200 ピクセル以上)。
    Draw the data (x, t) as points with the network's curve (x_line, y_line), and the
    loss per iteration (losses); save it with plt.savefig to path (default
    outputs/regression_fit.png), at least 300 x 200 pixels, then close the figure.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = OUTPUTS / "regression_fit.png" if path is None else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # TODO: 実装する / implement
    raise NotImplementedError("plot_fit")


if __name__ == "__main__":
    x, t = load_regression_data()
    net = RegressionNet(1, 20, 1, rng=np.random.default_rng(0))
    losses = fit(net, x, t, rng=np.random.default_rng(1))
    x_line = np.linspace(x.min(), x.max(), 200).reshape(-1, 1)
    plot_fit(x, t, x_line, net.predict(x_line), losses)
    print(f"loss: {losses[0]:.4f} -> {losses[-1]:.4f} (all data: {net.loss(x, t):.4f})")
