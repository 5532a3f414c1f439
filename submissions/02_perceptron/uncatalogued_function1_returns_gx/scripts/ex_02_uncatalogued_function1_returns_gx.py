"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

考察: 正規化 (0〜1) や標準化 (平均 0, 標準偏差 1) により、特徴量のスケールの違いが
なくなり、学習率を大きくしても発散しにくく、学習回数も少なくて済む。
"""

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")


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
