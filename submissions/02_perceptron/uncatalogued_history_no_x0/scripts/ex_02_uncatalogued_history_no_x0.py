"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

考察: スケールをそろえると誤差曲面の形が等方的に近づき、学習率を上げられる。
標準化した場合の重みは各特徴量の影響の大きさとして比較しやすい。
"""

from pathlib import Path

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")
DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def _stats(x, method):
    if method == "max":
        return np.zeros_like(x.max(axis=0, keepdims=True)), x.max(axis=0, keepdims=True)
    if method == "min_max":
        lo = x.min(axis=0, keepdims=True)
        return lo, x.max(axis=0, keepdims=True) - lo
    return x.mean(axis=0, keepdims=True), x.std(axis=0, keepdims=True)


def normalize_max(x):
    shift, scale = _stats(np.asarray(x, dtype=float), "max")
    return np.divide(x, scale)


def normalize_min_max(x):
    shift, scale = _stats(np.asarray(x, dtype=float), "min_max")
    return np.divide(np.subtract(x, shift), scale)


def standardize(x):
    shift, scale = _stats(np.asarray(x, dtype=float), "standardize")
    return np.divide(np.subtract(x, shift), scale)


class Scaler:
    def __init__(self, method):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method
        self.shift = self.scale = None

    def fit(self, x):
        self.shift, self.scale = _stats(np.asarray(x, dtype=float), self.method)
        return self

    def transform(self, x):
        return (np.asarray(x, dtype=float) - self.shift) / self.scale

    def inverse_transform(self, x):
        return np.asarray(x, dtype=float) * self.scale + self.shift

    def fit_transform(self, x):
        return self.fit(x).transform(x)


def train_normalized(x, t, method, learning_rate, max_iteration, rng):
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float).reshape(len(x), -1)
    x_scaler, t_scaler = Scaler(method), Scaler(method)
    xs, ts = x_scaler.fit_transform(x), t_scaler.fit_transform(t)
    model = Perceptron(xs.shape[1], ts.shape[1], learning_rate=learning_rate, rng=rng)
    model.x_scaler, model.t_scaler = x_scaler, t_scaler
    return model, train(xs, ts, model, MeanSquaredError(), max_iteration)


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
