"""2 層ニューラルネットワークによる回帰 / Regression with a two-layer network.

Reference solution (002 「[演習] 2層NNを学習するクラスの実装」, notebook 2_11): the layers
of layers.py with an identity output and the MeanSquaredError layer, trained by
mini-batch SGD on data/regression.csv (y = sin(x) + noise, generated for the course).
"""

from pathlib import Path

import numpy as np

from layers import Affine, MeanSquaredError, Relu

DATA = Path(__file__).resolve().parent.parent / "data" / "regression.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"
KEYS = ("W1", "b1", "W2", "b2")


def load_regression_data():
    """(x, t): two (N, 1) float64 arrays read from data/regression.csv (columns x, t)."""
    table = np.loadtxt(DATA, delimiter=",", skiprows=1, ndmin=2)
    return table[:, :1].copy(), table[:, 1:2].copy()


class RegressionNet:
    """Affine - Relu - Affine, an identity output and MeanSquaredError."""

    def __init__(self, input_size=1, hidden_size=20, output_size=1, weight_init_std=0.5,
                 rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        self.layers = {
            "Affine1": Affine(self.params["W1"], self.params["b1"]),
            "Relu1": Relu(),
            "Affine2": Affine(self.params["W2"], self.params["b2"]),
        }
        self.last_layer = MeanSquaredError()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x  # identity output: no activation after the last Affine

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


def fit(net, x, t, iters_num=2000, batch_size=20, learning_rate=0.002, rng=None):
    """Mini-batch SGD; returns the mini-batch loss after each update."""
    rng = np.random.default_rng() if rng is None else rng
    train_size = x.shape[0]
    loss_list = []
    for _ in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch, t_batch = x[batch_mask], t[batch_mask]
        grad = net.gradient(x_batch, t_batch)
        for key in KEYS:
            net.params[key] -= learning_rate * grad[key]
        loss_list.append(net.loss(x_batch, t_batch))
    return loss_list


def plot_fit(x, t, x_line, y_line, losses, path=None):
    """Data and fitted curve (left), loss per iteration (right), saved as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = OUTPUTS / "regression_fit.png" if path is None else Path(path)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.scatter(np.ravel(x), np.ravel(t), s=10, label="data")
    left.plot(np.ravel(x_line), np.ravel(y_line), color="tab:red", label="network")
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.legend()
    right.plot(losses)
    right.set_xlabel("iteration")
    right.set_ylabel("loss")
    right.set_yscale("log")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    x, t = load_regression_data()
    net = RegressionNet(1, 20, 1, rng=np.random.default_rng(0))
    losses = fit(net, x, t, rng=np.random.default_rng(1))
    x_line = np.linspace(x.min(), x.max(), 200).reshape(-1, 1)
    plot_fit(x, t, x_line, net.predict(x_line), losses)
    print(f"loss: {losses[0]:.4f} -> {losses[-1]:.4f} (all data: {net.loss(x, t):.4f})")
