"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

考察: 正規化 (0〜1) や標準化 (平均 0, 標準偏差 1) により、特徴量のスケールの違いが
なくなり、学習率を大きくしても発散しにくく、学習回数も少なくて済む。
"""

from pathlib import Path

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")
DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def normalize_max(x):
    return x / np.max(x, axis=0)


def normalize_min_max(x):
    x_min = np.min(x, axis=0)
    x_max = np.max(x, axis=0)
    return (x - x_min) / (x_max - x_min)


def standardize(x):
    mu = np.mean(x, axis=0)
    sigma = np.std(x, axis=0)
    return (x - mu) / sigma


class Scaler:
    def __init__(self, method):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method

    def fit(self, x):
        self.x_min = np.min(x, axis=0)
        self.x_max = np.max(x, axis=0)
        self.mu = np.mean(x, axis=0)
        self.sigma = np.std(x, axis=0)
        return self

    def transform(self, x):
        if self.method == "max":
            return x / self.x_max
        if self.method == "min_max":
            return (x - self.x_min) / (self.x_max - self.x_min)
        return (x - self.mu) / self.sigma

    def inverse_transform(self, x):
        if self.method == "max":
            return x * self.x_max
        if self.method == "min_max":
            return x * (self.x_max - self.x_min) + self.x_min
        return x * self.sigma + self.mu


def train_normalized(x, t, method, learning_rate, max_iteration, rng):
    if t.ndim == 1:
        t = t[:, None]
    model = Perceptron(x.shape[1], t.shape[1], learning_rate, rng)
    model.x_scaler = Scaler(method).fit(x)
    model.t_scaler = Scaler(method).fit(t)
    losses = train(model.x_scaler.transform(x), model.t_scaler.transform(t), model,
                   MeanSquaredError(), max_iteration)
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

    # g_w, g_b をバッチの平均で計算する Perceptron の学習率
    settings = {"raw": 2e-5, "max": 0.6, "min_max": 0.6, "standardize": 0.4}
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
