"""数値微分・勾配・最急降下法 / Numerical differentiation, gradients, gradient descent.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run gradient.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def numerical_diff(f, x, h=1e-4):
    """関数 f の x における微分を中心差分で求める (スライド: 002 「数値微分と解析的微分」).

        (f(x + h) - f(x - h)) / (2h)

    前進差分 (f(x + h) - f(x)) / h ではなく、スライドの通り幅 2h の中心差分を使うこと。
    h を小さくしすぎる (例: 1e-50) と丸め誤差で 0 になるので、既定値 1e-4 のままにして
    ください。/ 2*h ではなく / (2*h) と書くこと。
    Return the derivative of f at x by the central difference above (not the forward
    difference (f(x + h) - f(x)) / h). Keep h = 1e-4: a tiny h such as 1e-50 is lost to
    rounding error. Write / (2*h), not / 2*h.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("numerical_diff")


def numerical_gradient(f, x, h=1e-4):
    """f の x における勾配 (偏微分を並べた配列) を中心差分で求める.

    (スライド: 002 「偏微分」, 002 「[演習] 勾配を求める関数(numerical_gradient)を2次元へ拡張」,
    003 「学習アルゴリズムの実装」)

    * x は何次元の配列でもよい (1 次元のベクトル、2 次元の重み行列、...)。戻り値は x と
      同じ形 (shape) の配列。
    * f は配列 x *全体* を受け取って 1 つの数値を返す関数 (003 の TwoLayerNet が
      numerical_gradient(loss_W, self.params['W1']) と重み行列全体を渡すのと同じ)。
      各要素 x[idx] について、その要素だけを x[idx] + h, x[idx] - h に変えて f(x) を計算し、
      (f(x+h) - f(x-h)) / (2h) を求める。x の行を 1 行ずつ f に渡すのではありません。
    * 1 つの要素を調べ終えたら、その要素を *必ず元の値に戻す* (偏微分では他の変数は
      定数のまま)。関数から戻るとき x は呼ばれたときと同じ値であること。
    ヒント: np.ndindex(x.shape) や np.nditer(x, flags=["multi_index"]) で全要素を回れます。

    Return the gradient of f at x (same shape as x, any number of dimensions) by central
    differences. f takes the *whole* array and returns one number (as in 003's
    TwoLayerNet, which passes a whole weight matrix): change one element at a time, never
    pass rows of x separately. Put each element back to its original value after use
    (a partial derivative keeps the other variables fixed): x must be unchanged on return.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("numerical_gradient")


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """最急降下法: x <- x - lr ∇f(x) を step_num 回繰り返す.

    (スライド: 002 「最急降下法における更新式」, 003 「4. パラメータを更新する」)

    勾配は numerical_gradient(f, x) で求める (採点では、numerical_gradient の誤りが
    ここで二重に減点されないよう、numerical_gradient を正しい勾配に置き換えて確かめます)。
    戻り値は (x, x_history):
    * x: step_num 回更新した後の x (init_x と同じ形の配列)
    * x_history: 各更新の *前* の x を並べた配列。x_history[0] は init_x、形は
      (step_num,) + init_x.shape (ちょうど step_num 個。最後に更新した後の x は含めず、
      1 つ目の戻り値として返す)。x を追加するときは x.copy() を追加すること
      (x そのものを追加すると、後の更新で中身が変わります)。

    Gradient descent x <- x - lr ∇f(x), step_num times, with numerical_gradient(f, x)
    (grading replaces numerical_gradient by a correct one here, so that a mistake in it
    is not counted twice). Return (x, x_history): the final x, and the x *before* each
    update stacked into an array of shape (step_num,) + init_x.shape: exactly step_num
    entries, x_history[0] is init_x, the final x is not in it (it is the first value
    returned); append copies.
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
