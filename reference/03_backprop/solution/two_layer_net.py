"""2 層ニューラルネットワーク (誤差逆伝播法) / Two-layer network trained by back-propagation.

Reference solution (ゼロから作るDeep Learning 5.7).
"""

import numpy as np

from layers import Affine, Relu, SoftmaxWithLoss


def numerical_gradient(f, x, h=1e-4):
    """Central differences of f at x (any shape); x is restored afterwards."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        plus = f(x)
        x[index] = saved - h
        minus = f(x)
        x[index] = saved  # restore
        grad[index] = (plus - minus) / (2 * h)
    return grad


class TwoLayerNet:
    """Affine - Relu - Affine - SoftmaxWithLoss (a Sigmoid hidden layer is accepted too)."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        # The layers share the arrays in params: update params in place (-=).
        self.layers = {
            "Affine1": Affine(self.params["W1"], self.params["b1"]),
            "Relu1": Relu(),
            "Affine2": Affine(self.params["W2"], self.params["b2"]),
        }
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.sum(y == t) / x.shape[0])

    def numerical_gradient(self, x, t):
        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key]) for key in self.params}

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


def gradient_check(net, x, t):
    """Mean |backprop - numerical| for each parameter."""
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    return {key: float(np.mean(np.abs(backprop[key] - numerical[key]))) for key in numerical}


if __name__ == "__main__":
    from dataset import load_digits_data

    (x_train, t_train), _ = load_digits_data(one_hot_label=True)
    net = TwoLayerNet(64, 10, 10, rng=np.random.default_rng(0))
    for key, diff in gradient_check(net, x_train[:3], t_train[:3]).items():
        print(f"{key}: {diff:.3e}")
