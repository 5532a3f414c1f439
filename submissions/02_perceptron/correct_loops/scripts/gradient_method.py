"""勾配法で y = w x + b を当てはめる / Fit y = w x + b by batch gradient descent.

実行 / run:  uv run gradient_method.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def predict(x, w, b):
    """y = w x + b (要素ごとにループ / one element at a time)."""
    y = np.zeros(len(x))
    for i in range(len(x)):
        y[i] = w * x[i] + b
    return y


def mean_squared_error(y, t):
    n = len(y)
    total = 0.0
    for i in range(n):
        total += (y[i] - t[i]) ** 2
    return total / n


def gradients(x, y, t):
    n = len(x)
    sum_w = 0.0
    sum_b = 0.0
    for i in range(n):
        sum_w += x[i] * (y[i] - t[i])
        sum_b += y[i] - t[i]
    g_w = 2 / n * sum_w
    g_b = 2 / n * sum_b
    return (g_w, g_b)


def fit(x, t, w, b, learning_rate=0.1, max_iteration=100):
    losses = []
    i = 0
    while i < max_iteration:
        y = predict(x, w, b)
        e = mean_squared_error(y, t)
        losses.append(e)
        g_w, g_b = gradients(x, y, t)
        w = w - learning_rate * g_w
        b = b - learning_rate * g_b
        i += 1
    return (w, b, losses)


def minimize_quadratic(x0, learning_rate=0.1, max_iteration=100):
    history = [x0]
    for i in range(max_iteration):
        x_old = history[-1]
        g_x = 2 * x_old - 2
        history.append(x_old - learning_rate * g_x)
    return (history[-1], history)


def load_data():
    """TV (100 単位) と Sales / TV (in hundreds) and Sales."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    return table["TV"] / 100.0, table["Sales"]


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, t = load_data()
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
