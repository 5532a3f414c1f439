"""ミニバッチ学習 (SGD): 別の書き方 (リストの losses、先にまとめて取るミニバッチ、plt の関数)."""

import os

import numpy as np

from minibatch import get_minibatch, iterate_minibatches

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUTS = os.path.join(HERE, "..", "outputs")
FIGURE = "minibatch_comparison.png"


def load_data():
    table = np.loadtxt(os.path.join(HERE, "..", "data", "regression.csv"), delimiter=",",
                       skiprows=1)
    return table[:, :2], table[:, 2:]


def train_sgd(x, t, W, b, batch_size, epochs, lr, rng, replace=True):
    W, b = W.copy(), b.copy()
    per_epoch = (len(x) + batch_size - 1) // batch_size
    losses = []
    for _ in range(epochs):
        if replace:
            batches = [get_minibatch(x, t, batch_size, rng, replace=True)
                       for _ in range(per_epoch)]
        else:
            batches = iterate_minibatches(x, t, batch_size, rng)
        for xb, tb in batches:
            diff = np.dot(xb, W) + b - tb
            losses.append(np.mean(diff ** 2) / 2)
            W -= lr * np.dot(xb.T, diff) / len(xb)
            b -= lr * diff.mean(axis=0)
    return W, b, losses


def plot_comparison(losses_replace, losses_no_replace):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.figure(figsize=(7, 4))
    plt.plot(losses_replace, label="with replacement")
    plt.plot(losses_no_replace, "--", label="without replacement")
    plt.semilogy()
    plt.legend()
    os.makedirs(OUTPUTS, exist_ok=True)
    plt.savefig(os.path.join(OUTPUTS, FIGURE))
    plt.close()


if __name__ == "__main__":
    x, t = load_data()
    results = [train_sgd(x, t, np.zeros((2, 1)), np.zeros(1), 10, 15, 0.05,
                         np.random.default_rng(1), replace=r) for r in (True, False)]
    for (W, b, losses), r in zip(results, (True, False)):
        print(r, W.ravel(), b, losses[-1])
    plot_comparison(results[0][2], results[1][2])
