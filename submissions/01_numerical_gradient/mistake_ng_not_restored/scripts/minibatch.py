"""ミニバッチの取り出し / Drawing mini-batches (スライド: 学習の5ステップ, ステップ1).

ゼロから作る Deep Learning の train_neuralnet.py の batch_mask のスタイル。
乱数は引数の rng だけから取る。
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    """x, t から対応する同じ行を batch_size 個取り出す."""
    train_size = x.shape[0]
    if replace:
        batch_mask = rng.choice(train_size, batch_size)
    else:
        batch_mask = rng.choice(train_size, batch_size, replace=False)
    x_batch = x[batch_mask]
    t_batch = t[batch_mask]
    return x_batch, t_batch


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    """1 エポック分のミニバッチ (x_batch, t_batch) を yield する."""
    train_size = x.shape[0]
    if shuffle:
        index = rng.permutation(train_size)
    else:
        index = np.arange(train_size)
    for start in range(0, train_size, batch_size):
        batch_mask = index[start:start + batch_size]
        yield x[batch_mask], t[batch_mask]


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
