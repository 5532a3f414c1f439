"""Mini-batches with explicit epoch loops."""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    """(x_batch, t_batch): the same batch_size rows of x and t."""
    n = len(x)
    if replace:
        index = rng.choice(n, batch_size)
    else:
        index = rng.permutation(n)[:batch_size]
    x_batch = np.array([x[j] for j in index])
    t_batch = np.array([t[j] for j in index])
    return x_batch, t_batch


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    """One epoch of mini-batches, the last (smaller) one included."""
    n = len(x)
    if shuffle:
        order = rng.permutation(n)
    else:
        order = np.arange(n)
    n_batches = (n + batch_size - 1) // batch_size
    for b in range(n_batches):
        start = b * batch_size
        stop = min(start + batch_size, n)
        index = order[start:stop]
        x_batch = x[index]
        t_batch = t[index]
        yield x_batch, t_batch


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
