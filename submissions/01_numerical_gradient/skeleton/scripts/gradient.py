"""数値微分・勾配・最急降下法 / Numerical differentiation, gradients, gradient descent.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run gradient.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def numerical_diff(f, x, h=1e-4):
    """関数 f の x における微分を中心差分で求める (スライド: 数値微分).

        (f(x + h) - f(x - h)) / (2h)

    前方差分 (f(x + h) - f(x)) / h ではなく中心差分を使うこと。h を小さくしすぎる
    (例: 1e-50) と丸め誤差で 0 になるので、既定値 1e-4 のままにしてください。
    Return the derivative of f at x by the central difference above (not the forward
    difference). Keep h = 1e-4: a tiny h such as 1e-50 is lost to rounding error.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("numerical_diff")


def numerical_gradient(f, x, h=1e-4):
    """f の x における勾配 (偏微分を並べた配列) を中心差分で求める (スライド: 勾配).

    * x は何次元の配列でもよい (1 次元のベクトル、2 次元の重み行列、...)。戻り値は x と
      同じ形 (shape) の配列。
    * f は配列 x 全体を受け取って数値を返す関数。各要素 x[idx] について、その要素だけを
      x[idx] + h, x[idx] - h に変えて f(x) を計算し、(f(x+h) - f(x-h)) / (2h) を求める。
    * 1 つの要素を調べ終えたら、その要素を *必ず元の値に戻す*。関数から戻るとき x は
      呼ばれたときと同じ値であること。
    ヒント: np.ndindex(x.shape) や np.nditer(x, flags=["multi_index"]) で全要素を回れます。

    Return the gradient of f at x (same shape as x, any number of dimensions) by central
    differences, changing one element at a time and calling f on the whole array. Put
    each element back to its original value after use: x must be unchanged on return.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("numerical_gradient")


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """最急降下法: x <- x - lr ∇f(x) を step_num 回繰り返す (スライド: 最急降下法).

    勾配は numerical_gradient(f, x) で求める。戻り値は (x, x_history):
    * x: step_num 回更新した後の x (init_x と同じ形の配列)
    * x_history: 各更新の *前* の x を並べた配列。x_history[0] は init_x、形は
      (step_num,) + init_x.shape。x を追加するときは x.copy() を追加すること
      (x そのものを追加すると、後の更新で中身が変わります)。

    Gradient descent x <- x - lr ∇f(x), step_num times, with numerical_gradient.
    Return (x, x_history): the final x, and the x *before* each update stacked into an
    array of shape (step_num,) + init_x.shape (x_history[0] is init_x; append copies).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("gradient_descent")


def function_2(x):
    """f(x0, x1) = x0^2 + x1^2 (スライドの例 / the slides' example)."""
    return np.sum(x ** 2)


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    print("numerical_diff(x^2, 3) =", numerical_diff(lambda x: x ** 2, 3.0))
    print("numerical_gradient(function_2, [3, 4]) =",
          numerical_gradient(function_2, np.array([3.0, 4.0])))
    x, x_history = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
    print("gradient_descent ->", x)

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([-5, 5], [0, 0], "--b")
    ax.plot([0, 0], [-5, 5], "--b")
    ax.plot(x_history[:, 0], x_history[:, 1], "o")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-4.5, 4.5)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "gradient_descent.png", dpi=80)
