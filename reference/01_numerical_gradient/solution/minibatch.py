"""ミニバッチの取り出し / Drawing mini-batches (reference)."""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    """x と t から同じ行を batch_size 個取り出す.

    replace=True: rng.choice(N, batch_size) (復元抽出、同じ行が何度出てもよい)。
    replace=False: rng.choice(N, batch_size, replace=False) (重複なし、batch_size <= N)。
    """
    index = rng.choice(len(x), batch_size, replace=replace)
    return x[index], t[index]        # the same rows of x and t


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    """1 エポック分のミニバッチを順に返す (最後の端数のバッチも含む)."""
    n = len(x)
    order = rng.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        index = order[start:start + batch_size]
        yield x[index], t[index]


def load_data():
    """points.csv の (x, t): x は (N, 2)、t は 0/1 のラベル (N,)."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["x1"], table["x2"]])
    t = table["label"].astype(int)
    return x, t


if __name__ == "__main__":
    x, t = load_data()
    rng = np.random.default_rng(0)
    x_batch, t_batch = get_minibatch(x, t, 10, rng, replace=True)
    print("get_minibatch:", x_batch.shape, t_batch.shape)
    sizes = [len(x_batch) for x_batch, _ in iterate_minibatches(x, t, 10, rng)]
    print(f"one epoch of {len(x)} samples in batches of 10: {sizes}")
