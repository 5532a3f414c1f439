"""勾配法 / gradient method"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def predict(x, w, b):
    """モデルの出力 y = w x + b."""
    return w * x + b


def mean_squared_error(y, t):
    """平均二乗誤差 E = (1/n) Σ (y_i - t_i)^2."""
    return float(np.mean((y - t) ** 2))


def gradients(x, y, t):
    """E の w, b に関する勾配: g_w = (2/n) Σ x_i (y_i - t_i), g_b = (2/n) Σ (y_i - t_i)."""
    n = len(x)
    g_w = 2.0 / n * np.sum(x * (y - t))
    g_b = 2.0 / n * np.sum(y - t)
    return g_w, g_b


def fit(x, t, w, b, learning_rate=0.1, max_iteration=100):
    """勾配法の繰り返し。losses[i] は i 回目の更新の前の誤差."""
    losses = []
    for _ in range(max_iteration):
        y = predict(x, w, b)
        losses.append(mean_squared_error(y, t))
        g_w, g_b = gradients(x, y, t)
        w = w - learning_rate * g_w
        b = b - learning_rate * g_b
    return w, b, losses


def minimize_quadratic(x0, learning_rate=0.1, max_iteration=100):
    """f(x) = (x - 1)^2 の最小化: x <- x - η (2x - 2). history は x0 から始まる."""
    x = x0
    history = [x]
    for _ in range(max_iteration):
        x = x - learning_rate * (2 * x - 2)
        history.append(x)
    return x, history


def load_data():
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    return table["TV"] / 100.0, table["Sales"]


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, t = load_data()  # TV (100 units) -> Sales
    w, b, losses = fit(x, t, w=0.0, b=0.0, learning_rate=0.1, max_iteration=1000)
    print(f"w = {w:.6f}")
    print(f"b = {b:.6f}")

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.scatter(x, t, s=8, label="data")
    grid = np.linspace(x.min(), x.max(), 100)
    left.plot(grid, predict(grid, w, b), color="C1", label=f"y = {w:.3f} x + {b:.3f}")
    left.set_xlabel("TV / 100")
    left.set_ylabel("Sales")
    left.legend()
    right.plot(losses)
    right.set_yscale("log")
    right.set_xlabel("iteration")
    right.set_ylabel("E")
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.95, wspace=0.2)
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "gradient_method.png", dpi=80)
