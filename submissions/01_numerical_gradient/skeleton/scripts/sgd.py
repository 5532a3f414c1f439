"""ミニバッチ学習 (確率的勾配降下法, SGD) / Mini-batch training (stochastic gradient descent).

(スライド: 002 「[演習] ミニバッチ学習関数の実装」, 002 「ミニバッチ学習と損失関数」,
002 「勾配法の分類」)

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run sgd.py   (scripts/ の中で / from scripts/)

y = x W + b (線形回帰) をミニバッチ学習で学習する関数を作り、ミニバッチを復元抽出で
取る場合 (get_minibatch(..., replace=True)) と非復元抽出で取る場合 (iterate_minibatches)
を、同じデータ・同じ初期値で比べます。スクリプトを実行すると 2 本の損失の推移を 1 つの
図 outputs/minibatch_comparison.png に保存します。ミニバッチは minibatch.py の関数で
取ります (train_sgd の中で rng.choice などを直接呼ばないこと。採点では、minibatch.py の
誤りが二重に減点されないよう、それらを正しい代役に置き換えて train_sgd だけを確かめます)。

Train y = x W + b (linear regression) by mini-batch learning, drawing the mini-batches
with replacement (get_minibatch(..., replace=True)) or without (iterate_minibatches),
and compare the two on the same data from the same start. Running the script saves both
loss curves in one figure, outputs/minibatch_comparison.png. The mini-batches come from
minibatch.py, never from rng.choice and such called in train_sgd (grading replaces those
functions by correct stand-ins here, so that a mistake in minibatch.py is not counted
twice).
"""

import math  # noqa: F401  (math.ceil が使えます / math.ceil may help)
from pathlib import Path

import numpy as np

from minibatch import get_minibatch, iterate_minibatches  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "regression.csv"
OUTPUTS = ROOT / "outputs"
FIGURE = "minibatch_comparison.png"
BATCH_SIZE = 10
EPOCHS = 15
LEARNING_RATE = 0.05
SEED = 0


def load_data():
    """regression.csv の (x, t): x は (N, 2)、t は (N, 1)."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["x1"], table["x2"]])
    t = table["t"].reshape(-1, 1)
    return x, t


def train_sgd(x, t, W, b, batch_size, epochs, lr, rng, replace=True):
    """y = x W + b をミニバッチ学習 (SGD) で学習し、(W, b, losses) を返す.

    * x: (N, n_in)、t: (N, 1)、W: (n_in, 1)、b: (1,)。W と b は初期値で、その配列を
      書き換えないこと (W = W - lr * g_W のように新しい配列を作る。W -= ... は渡された
      配列を書き換えます)。
    * 1 エポックごとに:
      - replace=True (復元抽出、003 「ミニバッチ学習」 の batch_mask): ceil(N / batch_size)
        回、get_minibatch(x, t, batch_size, rng, replace=True) でミニバッチを取る
        (iterate_minibatches の 1 エポックと同じ更新回数)。003 「1エポックあたりの繰り返し数」
        の train_size / batch_size を切り捨てた回数でも構いません。
      - replace=False (非復元抽出、002 「ミニバッチ学習におけるデータセットの与え方」):
        for x_batch, t_batch in iterate_minibatches(x, t, batch_size, rng): で全サンプルを
        1 回ずつ。get_minibatch(..., replace=False) を毎回呼ぶのではありません。
    * ミニバッチ (n 行) ごとに:
        y = x_batch @ W + b
        E = (1/n) Σ ½ (y - t_batch)^2        (002 「2乗和誤差レイヤの逆伝播」 の ½Σ を、
                                              002 「ミニバッチ学習と損失関数」 のとおり
                                              ミニバッチで平均)
        g_W = x_batch.T @ (y - t_batch) / n,  g_b = Σ_行 (y - t_batch) / n
        W <- W - lr g_W,  b <- b - lr g_b
      ½ のない E = (1/n) Σ (y - t_batch)^2 (004 「平均二乗誤差関数と逆伝播」) と、その勾配
      (上の 2 倍) で学習しても構いません。
    * losses: 各ミニバッチの E を、その更新の *前* に計算したもの (更新 1 回に 1 つ、
      ndarray かリスト)。003 「ミニバッチ学習」 のように更新の *後* に同じミニバッチで
      計算した損失を記録しても構いません。

    Train y = x W + b by mini-batch learning (SGD); return (W, b, losses).
    x: (N, n_in), t: (N, 1), W: (n_in, 1), b: (1,); W and b are the start values: do not
    change those arrays (W = W - lr * g_W makes a new one; W -= ... changes the caller's).
    Every epoch: replace=True draws ceil(N / batch_size) mini-batches, each with
    get_minibatch(x, t, batch_size, rng, replace=True) (003 「ミニバッチ学習」; the
    train_size / batch_size of 003 「1エポックあたりの繰り返し数」, rounded down, is
    accepted too); replace=False walks `for x_batch, t_batch in iterate_minibatches(x, t,
    batch_size, rng):` (002 「ミニバッチ学習におけるデータセットの与え方」), not
    get_minibatch(..., replace=False) at every step. For each mini-batch of n rows:
    y = x_batch @ W + b, E = (1/n) Σ ½ (y - t_batch)^2 (the ½Σ of 002 「2乗和誤差レイヤの逆伝播」,
    averaged over the mini-batch as 002 「ミニバッチ学習と損失関数」 says),
    g_W = x_batch.T @ (y - t_batch) / n, g_b = Σ_rows (y - t_batch) / n,
    W <- W - lr g_W, b <- b - lr g_b. E without the ½ (004 「平均二乗誤差関数と逆伝播」)
    with its gradients (twice the above) is accepted too. losses holds each mini-batch's
    E computed *before* its update (one per update); recording the loss of the same
    mini-batch *after* the update, as 003 「ミニバッチ学習」 does, is accepted too.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("train_sgd")


def plot_comparison(losses_replace, losses_no_replace):
    """2 本の損失の推移を 1 つの図に描き、OUTPUTS / FIGURE に保存する.

    * losses_replace: replace=True (復元抽出) で学習したときの losses、
      losses_no_replace: replace=False (非復元抽出) のときの losses。
    * 1 つのグラフ (ax) に 2 本の線を描き、どちらがどちらか分かるように凡例 (legend) を
      付ける。横軸は更新の回数、縦軸は損失 (対数目盛 ax.set_yscale("log") が見やすい)。
    * OUTPUTS.mkdir(exist_ok=True) の後、fig.savefig(OUTPUTS / FIGURE) で保存する
      (幅 300 × 高さ 200 ピクセル以上。plt.show() だけでは保存されません)。
    ヒント: import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt

    Draw both loss curves in one axes with a legend (x: update, y: loss, a log scale
    helps) and save the figure with fig.savefig(OUTPUTS / FIGURE) after
    OUTPUTS.mkdir(exist_ok=True) (at least 300 x 200 pixels; plt.show() alone saves
    nothing).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("plot_comparison")


if __name__ == "__main__":
    x, t = load_data()
    W0, b0 = np.zeros((x.shape[1], 1)), np.zeros(1)
    curves = {}
    for replace in (True, False):
        W, b, losses = train_sgd(x, t, W0, b0, BATCH_SIZE, EPOCHS, LEARNING_RATE,
                                 np.random.default_rng(SEED), replace=replace)
        print(f"replace={replace}: W = {W.ravel()}, b = {b}, last loss = {losses[-1]:.4f}")
        curves[replace] = losses
    plot_comparison(curves[True], curves[False])
