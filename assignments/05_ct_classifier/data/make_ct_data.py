"""Generate ``ct_train.csv`` and ``ct_test.csv``: the slides' 4x3 "C" and "T" patterns.

スライド (知の探究 5. AI・機械学習) の 4x3 画素の「C」と「T」と、そのノイズ入りの
変形を、乱数の種を固定して生成します。ダウンロードは不要です。

The two patterns (1 = black pixel), rows top to bottom::

    C: 0 1 1     T: 1 1 1
       1 0 0        0 1 0
       1 0 0        0 1 0
       0 1 1        0 1 0

They differ in 6 of the 12 pixels, so a pattern with one or two pixels flipped is still
nearer to its own letter than to the other one.

* ``ct_train.csv``: both clean patterns and every variant with exactly one pixel flipped
  (2 + 2 x 12 = 26 rows), shuffled;
* ``ct_test.csv``: 20 variants of each letter with two distinct pixels flipped, the pixel
  pairs drawn without repetition (40 rows), shuffled;
* columns ``p0`` ... ``p11`` (the pixels row by row: p0 p1 p2 is the top row) and
  ``label`` (0 = C, 1 = T).

Run ``python make_ct_data.py`` to rewrite both files; the grader's tests check that the
committed files are exactly what this script produces.
"""

from __future__ import annotations

import io
from itertools import combinations
from pathlib import Path

import numpy as np

SEED = 20260405
PATTERN_C = np.array([[0, 1, 1],
                      [1, 0, 0],
                      [1, 0, 0],
                      [0, 1, 1]])
PATTERN_T = np.array([[1, 1, 1],
                      [0, 1, 0],
                      [0, 1, 0],
                      [0, 1, 0]])
PATTERNS = (PATTERN_C, PATTERN_T)  # label 0 = C, label 1 = T
TEST_PER_LETTER = 20
COLUMNS = tuple(f"p{i}" for i in range(12)) + ("label",)


def flipped(pattern: np.ndarray, pixels) -> np.ndarray:
    """The pattern as 12 pixels with the given pixels inverted."""
    pixels_out = pattern.reshape(-1).copy()
    for pixel in pixels:
        pixels_out[pixel] = 1 - pixels_out[pixel]
    return pixels_out


def generate(seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """(train, test): rows of 12 pixels and a label."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    pairs = list(combinations(range(12), 2))
    for label, pattern in enumerate(PATTERNS):
        train.append(np.append(flipped(pattern, []), label))
        train += [np.append(flipped(pattern, [pixel]), label) for pixel in range(12)]
        for choice in rng.choice(len(pairs), TEST_PER_LETTER, replace=False):
            test.append(np.append(flipped(pattern, pairs[choice]), label))
    train, test = np.array(train), np.array(test)
    return train[rng.permutation(len(train))], test[rng.permutation(len(test))]


def to_csv(table: np.ndarray) -> str:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for row in table:
        out.write(",".join(str(int(value)) for value in row) + "\n")
    return out.getvalue()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name, table in zip(("ct_train.csv", "ct_test.csv"), generate()):
        (here / name).write_text(to_csv(table), encoding="utf-8", newline="\n")
        print(f"wrote {here / name} ({len(table)} rows)")
