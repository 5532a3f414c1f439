"""課題・考察(2): 正規化と標準化 / Exercise 2: normalization and standardization.

ファイル名の student_id をあなたの学籍番号に変えてください (例: ex_02_s2601234.py)。
Rename this file with your student id (e.g. ex_02_s2601234.py).

考察はキットの 考察.md に書いてください (手作業で採点します)。
実行 / run:  uv run ex_02_<学籍番号>.py   (scripts/ の中で / from scripts/)
Write the discussion in the kit's 考察.md (graded by hand).
"""

from pathlib import Path

import numpy as np

from perceptron import MeanSquaredError, Perceptron, train

METHODS = ("max", "min_max", "standardize")
DATA = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


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


def compare_normalizations(x, t, settings, max_iteration, rng):
    """変換しないデータと、各方法で変換したデータで Perceptron を学習して比べる.

    settings は {方法: 学習率} の辞書です。方法は "raw" (変換しない)、"max"、"min_max"、
    "standardize" のいずれかです。settings の方法ごとに (settings の順に):
      - "raw": 新しい Perceptron(x.shape[1], t.shape[1], learning_rate=学習率, rng=rng) を
        作り、train(x, t, model, MeanSquaredError(), max_iteration) で学習する。
      - ほか: train_normalized(x, t, 方法, 学習率, max_iteration, rng) で学習する。
    方法ごとに新しい Perceptron を作ってください (前の方法の学習結果から始めない)。
    返り値は {方法: (model, losses)} の辞書 (キーは settings と同じ、losses は train が
    返した誤差のリスト) です。x と t は書き換えません。

    Train a Perceptron on the data as it is and scaled by each method, to compare them.
    settings maps a method to its learning rate; a method is "raw" (no scaling), "max",
    "min_max" or "standardize". For each method of settings (in its order):
      - "raw": make a new Perceptron(x.shape[1], t.shape[1], learning_rate=rate, rng=rng)
        and train it with train(x, t, model, MeanSquaredError(), max_iteration);
      - the others: train_normalized(x, t, method, rate, max_iteration, rng).
    Make a new Perceptron for every method (never continue from the previous one).
    Return {method: (model, losses)} with the keys of settings, losses being the list
    train returned. x and t are left unchanged.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("compare_normalizations")


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # 元の単位のデータ (perceptron.py の load_data のように 100 で割らない)
    # The data in its own units (not divided by 100 as perceptron.py's load_data does).
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["TV"], table["Radio"], table["Newspaper"]])
    t = table["Sales"].reshape(-1, 1)

    # TODO: 方法ごとの学習率 settings と学習回数 max_iteration を決める。4 つの方法
    #       "raw", "max", "min_max", "standardize" をすべて入れてください
    #       (settings = {"raw": ..., "max": ..., "min_max": ..., "standardize": ...})。
    #       発散しない範囲でなるべく大きな学習率を方法ごとに探し、学習曲線を比べます。
    #       g_w, g_b をバッチの平均で計算する Perceptron では、和の場合より N = 200 倍
    #       大きい学習率になります。
    #       Choose the learning rate of each method (settings) and max_iteration. Put all
    #       four methods "raw", "max", "min_max" and "standardize" in settings. Look for
    #       the largest rate that does not diverge for each method and compare the learning
    #       curves. With g_w, g_b as the batch mean, the rates are N = 200 times those for
    #       the batch sum.
    settings = max_iteration = None
    raise NotImplementedError("settings")
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
