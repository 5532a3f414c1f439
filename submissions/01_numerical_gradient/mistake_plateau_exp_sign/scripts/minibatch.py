"""ミニバッチ"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    train_size = x.shape[0]
    batch_mask = rng.choice(train_size, batch_size, replace=replace)
    return x[batch_mask], t[batch_mask]


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    n = len(x)
    if shuffle:
        perm = rng.permutation(n)
        x, t = x[perm], t[perm]
    for i in range(0, n, batch_size):
        yield x[i:i + batch_size], t[i:i + batch_size]


def load_data():
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    return np.column_stack([table["x1"], table["x2"]]), table["label"].astype(int)


if __name__ == "__main__":
    x, t = load_data()
    for x_batch, t_batch in iterate_minibatches(x, t, 10, np.random.default_rng(0)):
        print(x_batch.shape, t_batch.shape)
