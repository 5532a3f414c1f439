"""課題・考察(2) uncatalogued_standardize_in_place

考察: 列ごとに正規化すると、単位の違う特徴量 (TV と Radio) の学習速度がそろう。
"""

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")


def normalize_max(x):
    """列ごとに最大値で割る / divide each column by its maximum."""
    return x / np.max(x, axis=0)


def normalize_min_max(x):
    """列ごとに [0, 1] へ / map each column to [0, 1]."""
    low, high = np.min(x, axis=0), np.max(x, axis=0)
    return (x - low) / (high - low)


def standardize(x):
    """列ごとに平均 0、標準偏差 1 へ (np.std, ddof=0)."""
    x -= np.mean(x, axis=0)  # in place: the caller's array changes too
    x /= np.std(x, axis=0)
    return x


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
