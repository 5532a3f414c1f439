"""数値微分・勾配・最急降下法 / Numerical differentiation, gradients, gradient descent.

ゼロから作る Deep Learning 4章 (common/gradient.py, ch04/gradient_method.py) のスタイル。
実行 / run:  uv run gradient.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def numerical_diff(f, x, h=1e-4):
    """中心差分 (f(x + h) - f(x - h)) / (2h)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-4):
    """f の x における勾配 (x と同じ形)。np.nditer で全要素を回る。"""
    grad = np.zeros_like(x)

    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)  # f(x+h)

        x[idx] = tmp_val - h
        fxh2 = f(x)  # f(x-h)
        grad[idx] = (fxh1 - fxh2) / (2 * h)

        x[idx] = tmp_val  # 値を元に戻す
        it.iternext()

    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """最急降下法: x <- x - lr ∇f(x) を step_num 回 (本の gradient_method.py)."""
    x = init_x
    x_history = []

    for i in range(step_num):
        x_history.append(x)

        grad = numerical_gradient(f, x)
        x -= lr * grad

    return x, np.array(x_history)


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
