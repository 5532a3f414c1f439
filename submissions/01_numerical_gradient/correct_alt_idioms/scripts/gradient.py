"""数値微分・勾配・最急降下法 (other numpy idioms: x.flat, np.stack, yield-free)."""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def numerical_diff(f, x, h=1e-4):
    """中心差分."""
    fxh1, fxh2 = f(x + h), f(x - h)
    return (fxh1 - fxh2) / (h + h)


def numerical_gradient(f, x, h=1e-4):
    """勾配: x.flat で 1 要素ずつ ±h 動かし、f には x 全体を渡す."""
    grad = np.empty(x.shape, dtype=np.float64)
    for i, value in enumerate(x.flat):
        x.flat[i] = value + h
        fxh1 = f(x)
        x.flat[i] = value - h
        fxh2 = f(x)
        x.flat[i] = value
        grad.flat[i] = (fxh1 - fxh2) / (2 * h)
    return grad


def _steps(f, x, lr, step_num):
    """x の列 (更新前) を順に返すジェネレータ; 最後に更新後の x を返す."""
    for _ in range(step_num):
        yield np.array(x)          # np.array(...) はコピーを作る
        x -= lr * numerical_gradient(f, x)
    return x


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """最急降下法. x_history は np.stack で (step_num,) + init_x.shape にする."""
    x = np.asarray(init_x, dtype=np.float64).copy()
    x_history = []
    steps = _steps(f, x, lr, step_num)
    x_history.extend(steps)
    if not x_history:
        return x, np.empty((0,) + x.shape)
    return x, np.stack(x_history)


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
