"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

考察: スケールをそろえると誤差曲面の形が等方的に近づき、学習率を上げられる。
標準化した場合の重みは各特徴量の影響の大きさとして比較しやすい。
"""

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")


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


if __name__ == "__main__":
    from perceptron import load_data

    x, t = load_data()
    for m in METHODS:
        model, losses = train_normalized(x, t, m, 0.1, 1000, np.random.default_rng(1))
        print(f"{m:12s} final loss (scaled) = {losses[-1]:.6f}, "
              f"MSE original = {np.mean((predict_original(model, x) - t) ** 2):.4f}")
