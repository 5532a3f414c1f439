"""勾配法で y = w x + b を当てはめる / Fit y = w x + b by batch gradient descent.

実行 / run:  uv run gradient_method.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"

LEARNING_RATE = 0.1
MAX_ITERATION = 1000


def predict(x, w, b):
    return np.add(np.multiply(w, x), b)


def mean_squared_error(y, t):
    e = np.asarray(y, dtype=float) - np.asarray(t, dtype=float)
    return float(np.dot(e, e) / e.size)


def gradients(x, y, t):
    e = y - t
    n = x.size
    return float(2.0 * np.dot(x, e) / n), float(2.0 * e.sum() / n)


def fit(x, t, w, b, learning_rate=LEARNING_RATE, max_iteration=MAX_ITERATION // 10):
    w, b = float(w), float(b)
    losses = []
    for step in range(max_iteration):
        y = predict(x, w, b)
        losses += [mean_squared_error(y, t)]
        g_w, g_b = gradients(x, y, t)
        w -= learning_rate * g_w
        b -= learning_rate * g_b
    return w, b, losses


def minimize_quadratic(x0, learning_rate=0.1, max_iteration=100):
    def df(x):
        return 2 * x - 2

    x = float(x0)
    xs = []
    for _ in range(max_iteration):
        x = x - learning_rate * df(x)
        xs.append(x)
    return x, xs


def least_squares(x, t):
    """比較用: 正規方程式の解 / closed-form fit for comparison."""
    a = np.stack([x, np.ones_like(x)], axis=1)
    (w, b), *_ = np.linalg.lstsq(a, t, rcond=None)
    return w, b


def load_data():
    """TV (100 単位) と Sales / TV (in hundreds) and Sales."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    return table["TV"] / 100.0, table["Sales"]


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    print("f(x) = (x-1)^2 の最小化:", minimize_quadratic(5.0)[0])
    x, t = load_data()
    rng = np.random.default_rng(2024)
    w, b, losses = fit(x, t, w=rng.standard_normal(), b=rng.standard_normal(),
                       learning_rate=LEARNING_RATE, max_iteration=MAX_ITERATION)
    print(f"w = {w:.6f}")
    print(f"b = {b:.6f}")
    print("least squares: w = %.6f, b = %.6f" % least_squares(x, t))

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
