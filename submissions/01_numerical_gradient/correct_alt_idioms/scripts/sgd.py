"""ミニバッチ学習関数 (スライド 002 の演習) / the mini-batch training function."""

import math
from pathlib import Path

import numpy as np

import minibatch

DATA = Path(__file__).resolve().parents[1] / "data" / "regression.csv"
OUTPUTS = Path(__file__).resolve().parents[1] / "outputs"
FIGURE = "minibatch_comparison.png"
get_minibatch = minibatch.get_minibatch
iterate_minibatches = minibatch.iterate_minibatches


def load_data():
    data = np.genfromtxt(DATA, delimiter=",", skip_header=1)
    return data[:, [0, 1]], data[:, [2]]


def _batches(x, t, batch_size, rng, replace):
    if not replace:
        return iterate_minibatches(x, t, batch_size, rng)
    return (get_minibatch(x, t, batch_size, rng, replace=True)
            for _ in range(math.ceil(x.shape[0] / batch_size)))


def train_sgd(x, t, W, b, batch_size, epochs, lr, rng, replace=True):
    params = {"W": np.array(W, dtype=float), "b": np.array(b, dtype=float)}
    history = np.empty(0)
    for _ in range(epochs):
        for x_batch, t_batch in _batches(x, t, batch_size, rng, replace):
            n = x_batch.shape[0]
            residual = np.einsum("ij,jk->ik", x_batch, params["W"]) + params["b"] - t_batch
            history = np.append(history, 0.5 * np.einsum("ik,ik->", residual, residual) / n)
            grads = {"W": np.einsum("ij,ik->jk", x_batch, residual) / n,
                     "b": residual.sum(0) / n}
            for key in params:
                params[key] = params[key] - lr * grads[key]
    return params["W"], params["b"], history


def plot_comparison(losses_replace, losses_no_replace):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    fig = pyplot.figure(figsize=(6, 4), dpi=72)
    ax = fig.add_subplot()
    ax.semilogy(losses_replace, lw=1, label="復元抽出 (replace=True)")
    ax.semilogy(losses_no_replace, lw=1, label="非復元抽出 (replace=False)")
    ax.legend()
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    fig.savefig(str(OUTPUTS / FIGURE))
    pyplot.close(fig)


if __name__ == "__main__":
    x, t = load_data()
    curves = []
    for replace in (True, False):
        W, b, losses = train_sgd(x, t, np.zeros((2, 1)), np.zeros(1), 8, 20, 0.05,
                                 np.random.default_rng(2024), replace)
        curves.append(losses)
    plot_comparison(*curves)
