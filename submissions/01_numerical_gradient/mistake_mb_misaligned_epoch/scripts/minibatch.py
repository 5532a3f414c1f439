"""ミニバッチの取り出し / Drawing mini-batches (スライド: 学習の5ステップ, ステップ1).

002 「ミニバッチ学習におけるデータセットの与え方」: 復元抽出と非復元抽出。
003 「ミニバッチ学習」: batch_mask = np.random.choice(train_size, batch_size)
(ただし乱数は引数の rng から取る)。
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    """ミニバッチの取得: 同じ batch_mask で x と t の同じ行を取り出す."""
    train_size = x.shape[0]
    if replace:
        # 復元抽出
        batch_mask = rng.choice(train_size, batch_size)
    else:
        # 非復元抽出
        batch_mask = rng.choice(train_size, batch_size, replace=False)
    x_batch = x[batch_mask]
    t_batch = t[batch_mask]
    return x_batch, t_batch


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    """1 エポック (全ミニバッチを 1 巡) 分のミニバッチを yield する."""
    N = x.shape[0]
    if shuffle:
        x_shuffled = x[rng.permutation(N)]
        t_shuffled = t[rng.permutation(N)]
    else:
        x_shuffled = x
        t_shuffled = t
    for i in range(0, N, batch_size):
        yield x_shuffled[i:i + batch_size], t_shuffled[i:i + batch_size]


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
