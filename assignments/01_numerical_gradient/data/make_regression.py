"""Generate ``regression.csv``: a small seeded data set for the mini-batch training exercise.

ミニバッチ学習 (scripts/sgd.py) の練習用の小さな回帰データ (2 次元の入力 x と 1 つの
目標値 t) を、乱数の種を固定して生成します。ダウンロードは不要で、何度実行しても同じ
ファイルになります。授業のために作った代わりのデータなので、数値はスライドとは違います。

* 103 points (a prime number on purpose, as in ``points.csv``: with any batch size above 1
  the last mini-batch of an epoch is a partial one);
* x1, x2 drawn uniformly from [-2, 2];
* t = 1.5 x1 - 0.8 x2 + 0.5 + noise, the noise normal with standard deviation 0.3;
* columns ``x1``, ``x2``, ``t`` (4 decimals).

Run ``python make_regression.py`` to rewrite ``regression.csv``; the grader's tests check
that the committed file is exactly what this script produces.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

SEED = 20260415
SIZE = 103
WEIGHTS = (1.5, -0.8)
BIAS = 0.5
NOISE = 0.3
COLUMNS = ("x1", "x2", "t")


def generate(seed: int = SEED) -> np.ndarray:
    """Rows of (x1, x2, t)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, (SIZE, 2))
    t = x @ np.asarray(WEIGHTS) + BIAS + NOISE * rng.standard_normal(SIZE)
    return np.round(np.column_stack([x, t]), 4)


def to_csv(table: np.ndarray) -> str:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for x1, x2, t in table:
        out.write(f"{x1:.4f},{x2:.4f},{t:.4f}\n")
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).with_name("regression.csv")
    target.write_text(to_csv(generate()), encoding="utf-8", newline="\n")
    print(f"wrote {target}")
