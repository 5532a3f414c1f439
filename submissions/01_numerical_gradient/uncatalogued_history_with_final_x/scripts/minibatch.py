"""ミニバッチ / mini-batches (a list instead of a generator; accepted)."""

import numpy as np


def get_minibatch(x, t, batch_size, rng, replace=True):
    n = len(x)
    if replace:
        index = rng.integers(0, n, size=batch_size)
    else:
        index = rng.permutation(n)[:batch_size]
    return x[index], t[index]


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    batches = []
    for chunk in np.array_split(order, np.arange(batch_size, len(x), batch_size)):
        batches.append((x[chunk], t[chunk]))
    return batches
