"""Generate ``points.csv``: a small seeded data set for the mini-batch exercise.

ミニバッチ学習の練習用の小さなデータ (2 次元の点と 0/1 のラベル) を、乱数の種を固定して
生成します。ダウンロードは不要で、何度実行しても同じファイルになります。

* 103 points (a prime number on purpose: no batch size above 1 divides it, so the last
  mini-batch of an epoch is always a partial one);
* class 0 around (-1, -1) and class 1 around (1.5, 1), both with standard deviation 0.8,
  52 and 51 points, shuffled;
* columns ``x1``, ``x2`` (4 decimals) and ``label`` (0 or 1).

Run ``python make_points.py`` to rewrite ``points.csv``; the grader's tests check that
the committed file is exactly what this script produces.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

SEED = 20260402
SIZES = (52, 51)
CENTRES = ((-1.0, -1.0), (1.5, 1.0))
SPREAD = 0.8
COLUMNS = ("x1", "x2", "label")


def generate(seed: int = SEED) -> np.ndarray:
    """Rows of (x1, x2, label)."""
    rng = np.random.default_rng(seed)
    parts = []
    for label, (size, centre) in enumerate(zip(SIZES, CENTRES)):
        points = np.asarray(centre) + SPREAD * rng.standard_normal((size, 2))
        parts.append(np.column_stack([points, np.full(size, label)]))
    table = np.concatenate(parts)
    table = table[rng.permutation(len(table))]
    table[:, :2] = np.round(table[:, :2], 4)
    return table


def to_csv(table: np.ndarray) -> str:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for x1, x2, label in table:
        out.write(f"{x1:.4f},{x2:.4f},{int(label)}\n")
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).with_name("points.csv")
    target.write_text(to_csv(generate()), encoding="utf-8", newline="\n")
    print(f"wrote {target}")
