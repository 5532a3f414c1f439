"""勾配法で y = w x + b を当てはめる / Fit y = w x + b by batch gradient descent.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run gradient_method.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def predict(x, w, b):
    """モデルの出力 y = w x + b を返す (x は 1 次元配列).

    Return the model output y = w x + b (x is a 1-D array).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("predict")


def mean_squared_error(y, t):
    """平均二乗誤差 E = (1/n) Σ (y_i - t_i)^2 を float で返す.

    Return the mean squared error E = (1/n) Σ (y_i - t_i)^2 as a float.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("mean_squared_error")


def gradients(x, y, t):
    """E の勾配 (g_w, g_b) を返す / return the gradient of E:

    g_w = (2/n) Σ x_i (y_i - t_i),   g_b = (2/n) Σ (y_i - t_i)
    """
    # TODO: 実装する / implement
    raise NotImplementedError("gradients")


def fit(x, t, w, b, learning_rate=0.1, max_iteration=100):
    """勾配法で w, b を学習し (w, b, losses) を返す.

    losses[i] は i 回目の更新の *前* の誤差 E (長さ max_iteration のリスト)。
    Train w and b by gradient descent; return (w, b, losses) where losses[i] is the
    error E *before* the i-th update (a list of length max_iteration).
    """
    # TODO: 実装する / implement
    #   1. y = predict(x, w, b)
    #   2. losses に E を追加 / append E to losses
    #   3. g_w, g_b = gradients(x, y, t)
    #   4. w <- w - learning_rate * g_w,  b <- b - learning_rate * g_b
    raise NotImplementedError("fit")


def minimize_quadratic(x0, learning_rate=0.1, max_iteration=100):
    """f(x) = (x - 1)^2 を勾配法で最小化し (x, history) を返す.

    更新式 x <- x - η (2x - 2)。history は [x0, x1, ..., x_max_iteration]
    (初期値 x0 を含み、長さ max_iteration + 1)。
    Minimise f(x) = (x - 1)^2 with x <- x - η (2x - 2); history is
    [x0, x1, ..., x_max_iteration] (it starts with x0; length max_iteration + 1).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("minimize_quadratic")


def load_data():
    """TV (100 単位) と Sales / TV (in hundreds) and Sales."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    return table["TV"] / 100.0, table["Sales"]


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, t = load_data()
    # TODO: w, b の初期値 w0, b0 を決める。スライド 004 「一次関数のパラメータ推定(1)」 の
    #       とおり乱数 (rng = np.random.default_rng() と rng.standard_normal()) にします。
    #       0.0 のような固定値でも構いません (採点では、学習後の w, b を 1 回の実行の数字
    #       ではなく最小二乗法の解と比べます)。
    #       Choose the start values w0, b0: random, as on the slide (rng.standard_normal()),
    #       or fixed such as 0.0 (grading compares the trained w, b with the least-squares
    #       fit, not with one run's digits).
    w0 = b0 = None
    raise NotImplementedError("start_values")
    w, b, losses = fit(x, t, w=w0, b=b0, learning_rate=0.1, max_iteration=1000)
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
