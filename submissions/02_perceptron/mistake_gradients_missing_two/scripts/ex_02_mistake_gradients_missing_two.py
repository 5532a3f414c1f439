"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

考察: 列ごとに値の範囲をそろえると、どの重みも同じくらいの速さで学習でき、
学習率を大きくできるので学習回数が少なくて済む。
"""

from pathlib import Path

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")
DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def _columns(x):
    x = np.asarray(x, dtype=float)
    return x if x.ndim == 2 else x.reshape(len(x), -1)


def normalize_max(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros(x.shape)
    if x.ndim == 1:
        return x / max(x)
    for j in range(x.shape[1]):
        out[:, j] = x[:, j] / np.max(x[:, j])
    return out


def normalize_min_max(x):
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        return (x - min(x)) / (max(x) - min(x))
    out = np.zeros(x.shape)
    for j in range(x.shape[1]):
        col = x[:, j]
        out[:, j] = (col - col.min()) / (col.max() - col.min())
    return out


def standardize(x):
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        return (x - np.mean(x)) / np.std(x)
    out = np.zeros(x.shape)
    for j in range(x.shape[1]):
        col = x[:, j]
        out[:, j] = (col - np.mean(col)) / np.std(col)
    return out


class Scaler:
    def __init__(self, method):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method

    def fit(self, x):
        x = np.asarray(x, dtype=float)
        cols = _columns(x)
        n_cols = cols.shape[1]
        self.a = np.zeros(n_cols)  # 引く値 / shift
        self.s = np.ones(n_cols)   # 割る値 / scale
        for j in range(n_cols):
            col = cols[:, j]
            if self.method == "max":
                self.s[j] = np.max(col)
            elif self.method == "min_max":
                self.a[j] = np.min(col)
                self.s[j] = np.max(col) - np.min(col)
            else:
                self.a[j] = np.mean(col)
                self.s[j] = np.std(col)
        if x.ndim == 1:
            self.a, self.s = self.a[0], self.s[0]
        return self

    def transform(self, x):
        return (np.asarray(x, dtype=float) - self.a) / self.s

    def inverse_transform(self, x):
        return np.asarray(x, dtype=float) * self.s + self.a


def train_normalized(x, t, method, learning_rate, max_iteration, rng):
    t = _columns(t)
    x_scaler = Scaler(method)
    x_scaler.fit(x)
    t_scaler = Scaler(method)
    t_scaler.fit(t)
    model = Perceptron(x.shape[1], t.shape[1], learning_rate=learning_rate, rng=rng)
    model.x_scaler = x_scaler
    model.t_scaler = t_scaler
    x_s = x_scaler.transform(x)
    t_s = t_scaler.transform(t)
    losses = train(x_s, t_s, model, MeanSquaredError(), max_iteration)
    return model, losses


def predict_original(model, x):
    """元の単位での予測 / predictions in the original units."""
    return model.t_scaler.inverse_transform(model.forward(model.x_scaler.transform(x)))


def compare_normalizations(x, t, settings, max_iteration, rng):
    """settings の方法ごとに新しい Perceptron を学習して {方法: (model, losses)} を返す.

    "raw" は x, t をそのまま、ほかは train_normalized で変換して学習する.
    """
    results = {}
    for method, learning_rate in settings.items():
        if method == "raw":
            model = Perceptron(x.shape[1], t.shape[1], learning_rate=learning_rate, rng=rng)
            losses = train(x, t, model, MeanSquaredError(), max_iteration)
        else:
            model, losses = train_normalized(x, t, method, learning_rate, max_iteration, rng)
        results[method] = (model, losses)
    return results


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["TV"], table["Radio"], table["Newspaper"]])
    t = table["Sales"].reshape(-1, 1)

    # g_w, g_b をバッチの和で計算する Perceptron の学習率 (平均なら N = 200 倍にできる)
    settings = {"raw": 1e-7, "max": 0.003, "min_max": 0.003, "standardize": 0.002}
    max_iteration = 2000
    results = compare_normalizations(x, t, settings, max_iteration, np.random.default_rng(0))

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for method, (model, losses) in results.items():
        print(f"{method}: learning_rate = {settings[method]:g}, "
              f"w = {np.round(np.ravel(model.w), 6)}, b = {np.round(np.ravel(model.b), 6)}, "
              f"E = {losses[-1]:.6g}")
        left.plot(losses, label=method)
        y = model.forward(x) if method == "raw" else predict_original(model, x)
        right.plot(t.ravel(), np.ravel(y), ".", markersize=3, label=method)
    left.set_yscale("log")
    left.set_xlabel("iteration")
    left.set_ylabel("E (each method's own scale)")
    left.legend(loc="upper right")
    right.plot([t.min(), t.max()], [t.min(), t.max()], color="black", linewidth=1)
    right.set_xlabel("Sales")
    right.set_ylabel("prediction")
    right.legend(loc="upper left")
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.95, wspace=0.25)
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "normalization_comparison.png", dpi=80)
