"""Generate ``regression.csv``: y = sin(x) + noise, seeded (the course's stand-in data).

単純な回帰問題 (002 「[演習] 2層NNを学習するクラスの実装」 の 2_11) のためのデータです。
x は [-π, π] の一様乱数 100 個 (小さい順)、t = sin(x) + 0.1 × 標準正規乱数。乱数の種を
固定しているので、``python make_regression.py`` を実行すると同じバイト列のファイルが書かれます。

The data for the simple regression problem of notebook 2_11: 100 values of x drawn
uniformly from [-π, π] (sorted) and t = sin(x) + 0.1 · standard normal noise, from
``np.random.default_rng(SEED)``. The file is CSV with the header ``x,t`` and six decimals,
so running this script rewrites it byte for byte (numpy only).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 20260411
SIZE = 100
NOISE = 0.1


def generate(seed: int = SEED, size: int = SIZE) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-np.pi, np.pi, size))
    t = np.sin(x) + NOISE * rng.standard_normal(size)
    return x, t


def to_csv(x: np.ndarray, t: np.ndarray) -> str:
    lines = ["x,t"] + [f"{a:.6f},{b:.6f}" for a, b in zip(x, t)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("regression.csv")
    target.write_bytes(to_csv(*generate()).encode("ascii"))
    print(f"wrote {target}")
