"""数値微分・勾配・最急降下法 (explicit loops, flat indices)."""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def numerical_diff(f, x, h=1e-4):
    """Central difference (f(x + h) - f(x - h)) / (2h)."""
    forward = f(x + h)
    backward = f(x - h)
    return (forward - backward) / (2.0 * h)


def numerical_gradient(f, x, h=1e-4):
    """Gradient of f at x (any shape) by central differences.

    The elements are visited by one flat counter i = 0 .. x.size-1; the gradient is built
    as a flat vector and reshaped to x's shape at the end.
    """
    n = x.size
    grad_flat = np.zeros(n)
    for i in range(n):
        idx = np.unravel_index(i, x.shape)
        original = float(x[idx])
        x[idx] = original + h
        f1 = float(f(x))
        x[idx] = original - h
        f2 = float(f(x))
        x[idx] = original
        grad_flat[i] = (f1 - f2) / (2.0 * h)
    return grad_flat.reshape(x.shape)


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """x <- x - lr * grad, step_num times; history preallocated."""
    x = np.array(init_x, dtype=float, copy=True)
    x_history = np.zeros((step_num,) + x.shape)
    step = 0
    while step < step_num:
        x_history[step] = x
        grad = numerical_gradient(f, x)
        for i in range(x.size):
            idx = np.unravel_index(i, x.shape)
            x[idx] = x[idx] - lr * grad[idx]
        step += 1
    return x, x_history


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
