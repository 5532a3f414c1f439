"""課題・考察(2) mistake_fit_update_sign

考察: 列ごとに正規化すると、単位の違う特徴量 (TV と Radio) の学習速度がそろう。
"""

from pathlib import Path

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")
DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def normalize_max(x):
    """列ごとに最大値で割る / divide each column by its maximum."""
    return x / np.max(x, axis=0)


def normalize_min_max(x):
    """列ごとに [0, 1] へ / map each column to [0, 1]."""
    low, high = np.min(x, axis=0), np.max(x, axis=0)
    return (x - low) / (high - low)


def standardize(x):
    """列ごとに平均 0、標準偏差 1 へ (np.std, ddof=0)."""
    return (x - np.mean(x, axis=0)) / np.std(x, axis=0)


class Scaler:
    """fit で統計量を覚え、transform / inverse_transform で変換・逆変換する."""

    def __init__(self, method):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method
        self.shift = None
        self.scale = None

    def fit(self, x):
        if self.method == "max":
            self.shift, self.scale = np.zeros(x.shape[1]), np.max(x, axis=0)
        elif self.method == "min_max":
            self.shift = np.min(x, axis=0)
            self.scale = np.max(x, axis=0) - self.shift
        else:
            self.shift, self.scale = np.mean(x, axis=0), np.std(x, axis=0)
        return self

    def transform(self, x):
        return (x - self.shift) / self.scale

    def inverse_transform(self, x):
        return x * self.scale + self.shift


def train_normalized(x, t, method, learning_rate, max_iteration, rng):
    """x と t を method で変換して Perceptron を学習する.

    返り値は (model, losses)。model.x_scaler と model.t_scaler に変換器を残すので、
    元の単位の予測は predict_original(model, x) で得られる.
    """
    x_scaler = Scaler(method).fit(x)
    t_scaler = Scaler(method).fit(t)
    model = Perceptron(x.shape[1], t.shape[1], learning_rate=learning_rate, rng=rng)
    losses = train(x_scaler.transform(x), t_scaler.transform(t), model,
                   MeanSquaredError(), max_iteration)
    model.x_scaler = x_scaler
    model.t_scaler = t_scaler
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
