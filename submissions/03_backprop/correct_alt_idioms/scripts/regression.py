"""2 層ネットワークによる回帰 (別の書き方) / regression net, other idioms."""
from pathlib import Path

import numpy as np

from layers import AffineLayer, ReLU, MeanSquaredError

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "regression.csv"
OUTPUTS = HERE.parent / "outputs"


def load_regression_data():
    """(x, t): two (N, 1) float64 arrays read from data/regression.csv (columns x, t)."""
    table = np.loadtxt(DATA, delimiter=",", skiprows=1, ndmin=2)
    return table[:, :1].copy(), table[:, 1:2].copy()


class RegressionNet:
    """AffineLayer - ReLU - AffineLayer, identity output, MeanSquaredError."""

    def __init__(self, input_size=1, hidden_size=20, output_size=1, weight_init_std=0.5,
                 rng=None):
        rng = np.random.default_rng() if rng is None else rng
        shapes = {'W1': (input_size, hidden_size), 'b1': (hidden_size,),
                  'W2': (hidden_size, output_size), 'b2': (output_size,)}
        self.params = {k: (weight_init_std * rng.standard_normal(s) if k[0] == 'W'
                           else np.zeros(s)) for k, s in shapes.items()}
        self.affine1 = AffineLayer(self.params['W1'], self.params['b1'])
        self.affine2 = AffineLayer(self.params['W2'], self.params['b2'])
        self.layers = [self.affine1, ReLU(), self.affine2]
        self.last_layer = MeanSquaredError()

    def predict(self, x):
        h = x
        for layer in self.layers:
            h = layer.forward(h)
        return h

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward()
        for layer in self.layers[::-1]:
            result = layer.backward(dout)
            dout = result[0] if isinstance(result, tuple) else result
        return {'W1': self.affine1.dW, 'b1': self.affine1.db,
                'W2': self.affine2.dW, 'b2': self.affine2.db}


def fit(net, x, t, iters_num=2000, batch_size=20, learning_rate=0.002, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    history = []
    for _ in range(iters_num):
        idx = rng.choice(len(x), batch_size)
        grads = net.gradient(x[idx], t[idx])
        for name, g in grads.items():
            net.params[name] -= learning_rate * g
        history.append(float(net.loss(x[idx], t[idx])))
    return history


def plot_fit(x, t, x_line, y_line, losses, path=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = OUTPUTS / "regression_fit.png" if path is None else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), dpi=100)
    axes[0].scatter(x[:, 0], t[:, 0], s=8, c="gray", label="data")
    axes[0].plot(x_line[:, 0], y_line[:, 0], lw=2, label="fit")
    axes[0].legend(loc="upper left")
    axes[1].semilogy(losses)
    axes[1].set_title("loss")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    x, t = load_regression_data()
    net = RegressionNet(rng=np.random.default_rng(3))
    losses = fit(net, x, t, iters_num=3000, rng=np.random.default_rng(4))
    grid = np.linspace(-np.pi, np.pi, 300)[:, None]
    plot_fit(x, t, grid, net.predict(grid), losses)
