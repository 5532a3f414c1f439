"""Mini-batches (other idioms: one rng.choice call, np.split, a generator expression)."""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    """The same rows of x and t; with or without replacement in one rng.choice call."""
    x, t = np.asarray(x), np.asarray(t)
    index = np.random.choice(len(x), size=batch_size, replace=replace)
    return np.take(x, index, axis=0), np.take(t, index, axis=0)


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    """A generator over one epoch: split one permutation at batch_size, 2*batch_size, ..."""
    n = len(x)
    order = rng.permutation(n) if shuffle else np.arange(n)
    pieces = np.split(order, np.arange(batch_size, n, batch_size))
    return ((x[piece], t[piece]) for piece in pieces if piece.size)


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
