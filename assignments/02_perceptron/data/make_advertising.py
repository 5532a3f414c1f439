"""Generate ``advertising.csv``: a seeded stand-in for the Advertising data set.

授業で使う Advertising データ (TV・Radio・Newspaper の広告費と Sales) と同じ列・
同じ規模の合成データを、乱数の種を固定して生成します。

The course uses the 200-row Advertising data set (ISLR). This project ships its own
generated version with the same columns, units and rough statistics, so nothing is
downloaded and every run sees the same numbers:

* TV and Radio budgets are uniform over the real ranges (0.7-296.4 and 0-49.6);
* Newspaper is right-skewed and correlated with Radio (about 0.35), as in the real data;
* Sales = 2.94 + 0.0458 TV + 0.1885 Radio - 0.001 Newspaper + noise (sd 1.67), the real
  data's least-squares fit, clipped to the real range 1.6-27.0;
* values are rounded to one decimal, like the original.

Run ``python make_advertising.py`` to rewrite ``advertising.csv``; the grader's tests
check that the committed file is exactly what this script produces.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

SEED = 20260401
ROWS = 200
COLUMNS = ("TV", "Radio", "Newspaper", "Sales")


def generate(seed: int = SEED, rows: int = ROWS) -> np.ndarray:
    rng = np.random.default_rng(seed)
    tv = rng.uniform(0.7, 296.4, rows)
    radio = rng.uniform(0.0, 49.6, rows)
    newspaper = rng.gamma(shape=1.2, scale=18.7, size=rows) + 0.52 * (radio - radio.mean()) + 8.0
    newspaper = np.clip(newspaper, 0.3, 114.0)
    noise = rng.standard_normal(rows) * 1.67
    sales = 2.94 + 0.0458 * tv + 0.1885 * radio - 0.001 * newspaper + noise
    sales = np.clip(sales, 1.6, 27.0)
    return np.round(np.column_stack([tv, radio, newspaper, sales]), 1)


def to_csv(table: np.ndarray) -> str:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for row in table:
        out.write(",".join(f"{value:.1f}" for value in row) + "\n")
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).with_name("advertising.csv")
    target.write_text(to_csv(generate()), encoding="utf-8", newline="\n")
    print(f"wrote {target}")
