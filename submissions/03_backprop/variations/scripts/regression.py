import numpy as np
from pathlib import Path
from layers import Affine, Tanh, MSE

DATA = Path(__file__).resolve().parent.parent / "data" / "regression.csv"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def load_regression_data():
    """(x, t): two (N, 1) float64 arrays read from data/regression.csv (columns x, t)."""
    table = np.loadtxt(DATA, delimiter=",", skiprows=1, ndmin=2)
    return table[:, :1].copy(), table[:, 1:2].copy()


class RegressionNet:
    """Affine - Tanh - Affine (tanh hidden layer), identity output."""

    def __init__(self, input_size=1, hidden_size=20, output_size=1, weight_init_std=0.5,
                 rng=None):
        rng = rng or np.random.default_rng()
        self.params = dict(
            W1=weight_init_std * rng.standard_normal((input_size, hidden_size)),
            b1=np.zeros(hidden_size),
            W2=weight_init_std * rng.standard_normal((hidden_size, output_size)),
            b2=np.zeros(output_size))
        self.affine1 = Affine(self.params["W1"], self.params["b1"])
        self.tanh = Tanh()
        self.affine2 = Affine(self.params["W2"], self.params["b2"])
        self.mse = MSE()

    def predict(self, x):
        return self.affine2.forward(self.tanh.forward(self.affine1.forward(x)))

    def loss(self, x, t):
        return self.mse.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        d = self.mse.backward()
        d, _, _ = self.affine2.backward(d)
        d = self.tanh.backward(d)
        self.affine1.backward(d)
        return {"W1": self.affine1.grad_W, "b1": self.affine1.grad_b,
                "W2": self.affine2.grad_W, "b2": self.affine2.grad_b}


def fit(net, x, t, iters_num=2000, batch_size=20, learning_rate=0.002, rng=None):
    rng = rng or np.random.default_rng()
    losses = []
    for _ in range(iters_num):
        m = rng.choice(x.shape[0], batch_size)
        g = net.gradient(x[m], t[m])
        for k in g:
            net.params[k] -= learning_rate * g[k]
        losses.append(net.loss(x[m], t[m]))
    return losses


def plot_fit(x, t, x_line, y_line, losses, path=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    path = Path(path) if path else OUTPUTS / "regression_fit.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    plt.figure(figsize=(6, 4))
    plt.scatter(x, t, s=5)
    plt.plot(x_line, y_line, "k")
    plt.title(f"final loss {losses[-1]:.4f}")
    plt.savefig(path)
    plt.close()
