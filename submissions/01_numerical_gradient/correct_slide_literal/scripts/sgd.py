"""ミニバッチ学習 (スライド 003 「ミニバッチ学習」 のコードのとおり: 更新の後に損失を記録)."""

from pathlib import Path

import numpy as np

from minibatch import get_minibatch, iterate_minibatches

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"
FIGURE = "minibatch_comparison.png"


def load_data():
    table = np.genfromtxt(Path(__file__).resolve().parent.parent / "data" / "regression.csv",
                          delimiter=",", names=True)
    return np.column_stack([table["x1"], table["x2"]]), table["t"].reshape(-1, 1)


def loss(params, x, t):
    """2乗和誤差 E = ½ Σ (y - t)^2 をバッチで平均."""
    y = np.dot(x, params["W"]) + params["b"]
    return 0.5 * np.sum((y - t) ** 2) / x.shape[0]


def gradient(params, x, t):
    y = np.dot(x, params["W"]) + params["b"]
    batch_num = x.shape[0]
    return {"W": np.dot(x.T, y - t) / batch_num, "b": np.sum(y - t, axis=0) / batch_num}


def train_sgd(x, t, W, b, batch_size, epochs, lr, rng, replace=True):
    train_size = x.shape[0]
    iter_per_epoch = int(max(train_size / batch_size, 1))  # 1エポックあたりの繰り返し数
    params = {"W": W.copy(), "b": b.copy()}
    train_loss_list = []
    for epoch in range(epochs):
        if replace:
            batches = (get_minibatch(x, t, batch_size, rng, replace=True)
                       for i in range(iter_per_epoch))
        else:
            batches = iterate_minibatches(x, t, batch_size, rng)
        for x_batch, t_batch in batches:
            grad = gradient(params, x_batch, t_batch)
            for key in ("W", "b"):
                params[key] -= lr * grad[key]
            train_loss_list.append(loss(params, x_batch, t_batch))
    return params["W"], params["b"], train_loss_list


def plot_comparison(losses_replace, losses_no_replace):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(losses_replace, label="replace=True")
    ax.plot(losses_no_replace, label="replace=False")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.legend()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / FIGURE)


if __name__ == "__main__":
    x_train, t_train = load_data()
    curves = []
    for replace in (True, False):
        W, b, train_loss_list = train_sgd(x_train, t_train, np.zeros((2, 1)), np.zeros(1),
                                          10, 15, 0.05, np.random.default_rng(0), replace)
        print(W, b)
        curves.append(train_loss_list)
    plot_comparison(curves[0], curves[1])
