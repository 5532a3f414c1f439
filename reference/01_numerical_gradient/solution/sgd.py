"""ミニバッチ学習 (確率的勾配降下法) / Mini-batch training, SGD (reference)."""

import math
from pathlib import Path

import numpy as np

from minibatch import get_minibatch, iterate_minibatches

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "regression.csv"
OUTPUTS = ROOT / "outputs"
FIGURE = "minibatch_comparison.png"
BATCH_SIZE = 10
EPOCHS = 15
LEARNING_RATE = 0.05
SEED = 0


def load_data():
    """regression.csv の (x, t): x は (N, 2)、t は (N, 1)."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["x1"], table["x2"]])
    t = table["t"].reshape(-1, 1)
    return x, t


def train_sgd(x, t, W, b, batch_size, epochs, lr, rng, replace=True):
    """y = x W + b をミニバッチ SGD で学習する。losses は各更新の前のミニバッチの損失."""
    W, b = np.array(W, dtype=float), np.array(b, dtype=float)   # new arrays: the start stays
    losses = []

    def batches():
        if replace:
            for _ in range(math.ceil(len(x) / batch_size)):
                yield get_minibatch(x, t, batch_size, rng, replace=True)
        else:
            yield from iterate_minibatches(x, t, batch_size, rng)

    for _ in range(epochs):
        for x_batch, t_batch in batches():
            n = len(x_batch)
            y = x_batch @ W + b
            losses.append(0.5 * float(np.sum((y - t_batch) ** 2)) / n)
            W = W - lr * (x_batch.T @ (y - t_batch)) / n
            b = b - lr * np.sum(y - t_batch, axis=0) / n
    return W, b, np.array(losses)


def plot_comparison(losses_replace, losses_no_replace):
    """2 本の損失の推移を 1 つの図に描き、outputs/minibatch_comparison.png に保存する."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    fig.subplots_adjust(left=0.14, bottom=0.13)
    ax.plot(np.arange(1, len(losses_replace) + 1), losses_replace, label="replace=True")
    ax.plot(np.arange(1, len(losses_no_replace) + 1), losses_no_replace,
            label="replace=False")
    ax.set_yscale("log")
    ax.set_xlabel("update")
    ax.set_ylabel("mini-batch loss")
    ax.legend()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / FIGURE, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    x, t = load_data()
    W0, b0 = np.zeros((x.shape[1], 1)), np.zeros(1)
    curves = {}
    for replace in (True, False):
        W, b, losses = train_sgd(x, t, W0, b0, BATCH_SIZE, EPOCHS, LEARNING_RATE,
                                 np.random.default_rng(SEED), replace=replace)
        print(f"replace={replace}: W = {W.ravel()}, b = {b}, last loss = {losses[-1]:.4f}")
        curves[replace] = losses
    plot_comparison(curves[True], curves[False])
