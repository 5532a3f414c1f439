"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

ファイル名の student_id をあなたの学籍番号に変えてください (例: ex_02_s2601234.py)。
Rename this file with your student id (e.g. ex_02_s2601234.py).

考察 (discussion): この docstring か ex_02_<学籍番号>.md に書いてください。
採点は手作業で行います (自動採点はしません)。
Write your discussion here or in ex_02_<student_id>.md; it is graded by hand.
"""

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")


def normalize_max(x):
    """列ごとに最大値で割った新しい配列を返す (x は書き換えない).

    Return a new array: each column divided by its maximum (axis=0); x is left unchanged.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("normalize_max")


def normalize_min_max(x):
    """列ごとに (x - min) / (max - min) の新しい配列を返す (x は書き換えない).

    Return a new array, per column (x - min) / (max - min); x is left unchanged.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("normalize_min_max")


def standardize(x):
    """列ごとに (x - mean) / std (np.std, ddof=0) の新しい配列を返す (x は書き換えない).

    Return a new array, per column (x - mean) / std (np.std, ddof=0); x is left unchanged.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("standardize")


class Scaler:
    """fit(x) で列ごとの統計量を覚え、transform / inverse_transform で使う.

    fit(x) remembers the per-column statistics; transform and inverse_transform use them.
    method: "max", "min_max" or "standardize".
    """

    def __init__(self, method):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.method = method

    def fit(self, x):
        # TODO: 実装する / implement (return self)
        raise NotImplementedError("Scaler.fit")

    def transform(self, x):
        # TODO: 実装する / implement
        raise NotImplementedError("Scaler.transform")

    def inverse_transform(self, x):
        # TODO: 実装する / implement
        raise NotImplementedError("Scaler.inverse_transform")


def train_normalized(x, t, method, learning_rate, max_iteration, rng):
    """x と t を method で変換して Perceptron を学習し (model, losses) を返す.

    変換器を model.x_scaler と model.t_scaler に入れておくこと (predict_original が使う)。
    Scale x and t with `method`, train a Perceptron on them and return (model, losses).
    Keep the scalers as model.x_scaler and model.t_scaler (predict_original uses them).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("train_normalized")


def predict_original(model, x):
    """元の単位での予測 / predictions in the original units."""
    return model.t_scaler.inverse_transform(model.forward(model.x_scaler.transform(x)))
