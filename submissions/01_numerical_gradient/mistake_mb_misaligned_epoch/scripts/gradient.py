"""数値微分・勾配・最急降下法 / Numerical differentiation, gradients, gradient descent.

スライド (002 「数値微分と解析的微分」「勾配ベクトル」「最急降下法における更新式」,
003 「4. パラメータを更新する」) の式をそのまま書いたもの。
実行 / run:  uv run gradient.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def numerical_diff(f, x, h=1e-4):
    """中心差分: x の前後 2h の範囲の傾き (f(x + h) - f(x - h)) / (2h)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-4):
    """勾配ベクトル ∇f = (∂f/∂x0, ∂f/∂x1, ...) (x と同じ形).

    偏微分: 他の変数を定数とみなし、1 つの要素 x[idx] だけを ±h 動かして中心差分をとる。
    """
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        x_i = x[idx]                      # 元の値
        x[idx] = x_i + h
        f_plus = f(x)                     # f(..., x_i + h, ...)
        x[idx] = x_i - h
        f_minus = f(x)                    # f(..., x_i - h, ...)
        x[idx] = x_i                      # 元に戻す
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """最急降下法の更新式 x = x - η ∂f/∂x を step_num 回 (η = lr)."""
    eta = lr
    x = np.array(init_x, dtype=float)     # init_x は書き換えない
    x_history = []
    for i in range(step_num):
        x_history.append(x.copy())        # 更新前の x
        grad = numerical_gradient(f, x)   # ∂f/∂x
        x = x - eta * grad                # 更新後の x
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
