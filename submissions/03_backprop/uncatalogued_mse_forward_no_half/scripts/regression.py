# coding: utf-8
"""2 層ニューラルネットワークで回帰 (2_11)"""
from collections import OrderedDict
from pathlib import Path

import numpy as np

from layers import Affine, Relu, MeanSquaredError

DATA = Path(__file__).resolve().parent.parent / "data" / "regression.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def load_regression_data():
    """(x, t): two (N, 1) float64 arrays read from data/regression.csv (columns x, t)."""
    table = np.loadtxt(DATA, delimiter=",", skiprows=1, ndmin=2)
    return table[:, :1].copy(), table[:, 1:2].copy()


class RegressionNet:

    def __init__(self, input_size=1, hidden_size=20, output_size=1, weight_init_std=0.5,
                 rng=None):
        rng = np.random.default_rng() if rng is None else rng
        # 重みの初期化
        self.params = {}
        self.params['W1'] = weight_init_std * rng.standard_normal((input_size, hidden_size))
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = weight_init_std * rng.standard_normal((hidden_size, output_size))
        self.params['b2'] = np.zeros(output_size)

        # レイヤの生成
        self.layers = OrderedDict()
        self.layers['Affine1'] = Affine(self.params['W1'], self.params['b1'])
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W2'], self.params['b2'])

        self.last_layer = MeanSquaredError()  # 出力は恒等関数

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    def gradient(self, x, t):
        # forward
        self.loss(x, t)

        # backward
        dout = self.last_layer.backward()

        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)

        grads = {}
        grads['W1'], grads['b1'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        grads['W2'], grads['b2'] = self.layers['Affine2'].dW, self.layers['Affine2'].db
        return grads


def fit(net, x, t, iters_num=2000, batch_size=20, learning_rate=0.002, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    train_size = x.shape[0]
    loss_list = []
    for i in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch = x[batch_mask]
        t_batch = t[batch_mask]

        grad = net.gradient(x_batch, t_batch)

        for key in ('W1', 'b1', 'W2', 'b2'):
            net.params[key] -= learning_rate * grad[key]

        loss = net.loss(x_batch, t_batch)
        loss_list.append(loss)
    return loss_list


def plot_fit(x, t, x_line, y_line, losses, path=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = OUTPUTS / "regression_fit.png" if path is None else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = plt.figure(figsize=(10, 4))
    ax1 = fig.add_subplot(1, 2, 1)
    ax1.plot(x, t, "o", markersize=3, label="data")
    ax1.plot(x_line, y_line, "r-", label="NN")
    ax1.set_xlabel("x")
    ax1.set_ylabel("y")
    ax1.legend()
    ax2 = fig.add_subplot(1, 2, 2)
    ax2.plot(losses)
    ax2.set_xlabel("iteration")
    ax2.set_ylabel("loss")
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    x, t = load_regression_data()
    net = RegressionNet(1, 20, 1, rng=np.random.default_rng(0))
    losses = fit(net, x, t, learning_rate=0.004, rng=np.random.default_rng(1))  # 自分の MeanSquaredError に合わせた学習率
    x_line = np.linspace(x.min(), x.max(), 200).reshape(-1, 1)
    plot_fit(x, t, x_line, net.predict(x_line), losses)
    print(f"loss: {losses[0]:.4f} -> {losses[-1]:.4f} (all data: {net.loss(x, t):.4f})")
