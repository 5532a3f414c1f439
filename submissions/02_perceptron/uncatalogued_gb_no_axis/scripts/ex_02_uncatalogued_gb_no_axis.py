"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

考察:
正規化・標準化をすると入力の各列 (TV, Radio, Newspaper) の大きさがそろうため、
誤差関数の谷の形が丸くなり、大きい学習率でも発散せずに少ない学習回数で収束する。
重みは変換後の単位での値になるので、元の単位の係数とは値が変わる (逆変換すると同じ直線)。
正規化していないと、値の大きい列の勾配だけが大きくなり、学習率を小さくしないと発散する。
"""

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")


def normalize_max(x):
    """列ごとに最大値で割る / divide each column by its maximum (axis=0)."""
    return x / np.max(x, axis=0)


def normalize_min_max(x):
    """列ごとに (x - min) / (max - min)."""
    return (x - np.min(x, axis=0)) / (np.max(x, axis=0) - np.min(x, axis=0))


def standardize(x):
    """列ごとに (x - mean) / std (np.std, ddof=0)."""
    return (x - np.mean(x, axis=0)) / np.std(x, axis=0)


class Scaler:
    """fit(x) で列ごとの統計量を覚え、transform / inverse_transform で使う."""

    def __init__(self, method):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method

    def fit(self, x):
        if self.method == "max":
            self.max = np.max(x, axis=0)
        elif self.method == "min_max":
            self.min = np.min(x, axis=0)
            self.max = np.max(x, axis=0)
        else:
            self.mean = np.mean(x, axis=0)
            self.std = np.std(x, axis=0)
        return self

    def transform(self, x):
        if self.method == "max":
            return x / self.max
        elif self.method == "min_max":
            return (x - self.min) / (self.max - self.min)
        else:
            return (x - self.mean) / self.std

    def inverse_transform(self, x):
        if self.method == "max":
            return x * self.max
        elif self.method == "min_max":
            return x * (self.max - self.min) + self.min
        else:
            return x * self.std + self.mean


def train_normalized(x, t, method, learning_rate, max_iteration, rng):
    """x と t を method で変換して Perceptron を学習し (model, losses) を返す."""
    x_scaler = Scaler(method).fit(x)
    t_scaler = Scaler(method).fit(t)
    x_n = x_scaler.transform(x)
    t_n = t_scaler.transform(t)
    model = Perceptron(x.shape[1], t.shape[1], learning_rate=learning_rate, rng=rng)
    model.x_scaler = x_scaler
    model.t_scaler = t_scaler
    losses = train(x_n, t_n, model, MeanSquaredError(), max_iteration)
    return model, losses


def predict_original(model, x):
    """元の単位での予測 / predictions in the original units."""
    return model.t_scaler.inverse_transform(model.forward(model.x_scaler.transform(x)))


if __name__ == "__main__":
    from perceptron import load_data

    x, t = load_data()
    for method in METHODS:
        model, losses = train_normalized(x, t, method, 0.001, 2000, np.random.default_rng(0))
        print(method, "w =", model.w.ravel(), "b =", model.b, "loss =", losses[-1])
