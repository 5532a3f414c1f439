"""鞍点とプラトーの可視化 / Saddle points and plateaus, visualised.

(スライド: 002 「鞍点(あんてん)」, 002 「プラトー」, 002 「[演習] 鞍点・プラトーの可視化」)

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run saddle_plateau.py   (scripts/ の中で / from scripts/)

鞍点 (最小値ではないのに勾配が 0 になる点) をもつ関数 saddle と、プラトー (ほとんど勾配の
ない平らな地帯) をもつ関数 plateau を作り、gradient.py の gradient_descent で最急降下法を
いくつかの出発点から実行して、等高線と経路を 1 つの図 outputs/saddle_plateau.png に
描きます。尾根 (x1 = 0) の上から出発すると鞍点 (0, 0) で止まり、平らな地帯から出発すると
ほとんど進まない様子が見えます。

Write saddle (a saddle point: the gradient is 0 there, yet it is no minimum) and plateau
(a nearly flat region), run gradient descent (gradient.py's gradient_descent) from a few
starting points, and draw the contour lines with the paths in one figure,
outputs/saddle_plateau.png: a start on the ridge x1 = 0 stops at the saddle point (0, 0),
a start on the flat region barely moves.
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"
FIGURE = "saddle_plateau.png"
SADDLE_STARTS = ((2.0, 0.0), (2.0, 0.05))     # on the ridge x1 = 0, and just off it
PLATEAU_STARTS = ((2.0, 1.5), (0.9, 0.6))     # on the plateau, and near the well
LEARNING_RATE = 0.1
STEP_NUM = 40


def saddle(x):
    """鞍点をもつ関数 f(x0, x1) = x0^2 - x1^2 (スライド: 002 「鞍点(あんてん)」).

    * x[0] が x0、x[1] が x1。x は形 (2,) の配列 (1 点) でも、形 (2, H, W) の配列
      (np.array(np.meshgrid(...)) で作った格子) でもよく、格子なら形 (H, W) の配列を返す
      (等高線を描くため)。np.sum(x ** 2) のように全要素をまとめて 1 つの値にしないこと。
    * (0, 0) で勾配は 0 だが最小値ではない (x1 の方向には下がっていく)。

    f(x0, x1) = x0^2 - x1^2 with x0 = x[0] and x1 = x[1]; x is one point (shape (2,)) or
    a grid of shape (2, H, W) (from np.meshgrid), for which it returns an (H, W) array
    (for the contour lines): do not sum every element into one number. The gradient is 0
    at (0, 0), yet that is no minimum.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("saddle")


def plateau(x):
    """プラトーをもつ関数 f(x0, x1) = 1 - exp(-(x0^2 + x1^2)) (スライド: 002 「プラトー」).

    * 原点のまわりに深さ 1 のくぼみ (最小値 0) があり、原点から離れると f はほぼ 1 で
      平ら (勾配がほとんど 0) になる。
    * x の形は saddle と同じ (1 点なら数、格子 (2, H, W) なら (H, W) の配列を返す)。
      np.exp を使う。

    f(x0, x1) = 1 - exp(-(x0^2 + x1^2)): a well of depth 1 around the origin (minimum 0);
    away from it f is almost 1 and flat (the gradient is almost 0). x as for saddle (one
    point, or a grid of shape (2, H, W) giving an (H, W) array). Use np.exp.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("plateau")


def descent_path(f, init_x, lr=LEARNING_RATE, step_num=STEP_NUM):
    """gradient_descent の経路: x_history に最後の x を加えた (step_num + 1, 2) の配列."""
    from gradient import gradient_descent

    x, x_history = gradient_descent(f, np.array(init_x, dtype=float), lr=lr,
                                    step_num=step_num)
    return np.vstack([np.asarray(x_history, dtype=float), np.asarray(x, dtype=float)[None]])


def plot_saddle_plateau(saddle_paths, plateau_paths):
    """鞍点とプラトーの等高線と経路を 1 つの図に描き、OUTPUTS / FIGURE に保存する.

    * saddle_paths, plateau_paths: 経路 (descent_path の戻り値、形 (k, 2) の配列、先頭が
      出発点) のリスト。
    * 図は左右 2 つのグラフ (plt.subplots(1, 2)): 左に saddle、右に plateau の等高線
      (ax.contour。格子は np.meshgrid(np.linspace(-3, 3, 61), np.linspace(-3, 3, 61)) で
      作り、f(np.array(grid)) で値を求める) と、各経路 (ax.plot(path[:, 0], path[:, 1]))、
      出発点の印。範囲は -3 から 3。
    * OUTPUTS.mkdir(exist_ok=True) の後、fig.savefig(OUTPUTS / FIGURE) で保存する
      (幅 300 × 高さ 200 ピクセル以上。plt.show() だけでは保存されません)。
    ヒント: import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt

    Draw two panels (plt.subplots(1, 2)): the contour lines of saddle (left) and plateau
    (right) over -3..3 (a grid from np.meshgrid, values f(np.array(grid))), every path
    (an array of shape (k, 2), start first) and a mark at each start; save with
    fig.savefig(OUTPUTS / FIGURE) after OUTPUTS.mkdir(exist_ok=True) (at least 300 x 200
    pixels; plt.show() alone saves nothing).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("plot_saddle_plateau")


if __name__ == "__main__":
    saddle_paths = [descent_path(saddle, start) for start in SADDLE_STARTS]
    plateau_paths = [descent_path(plateau, start) for start in PLATEAU_STARTS]
    for name, f, paths in (("saddle", saddle, saddle_paths),
                           ("plateau", plateau, plateau_paths)):
        for path in paths:
            print(f"{name}: {path[0]} -> {path[-1]}, f = {f(path[-1]):.4f}")
    plot_saddle_plateau(saddle_paths, plateau_paths)
