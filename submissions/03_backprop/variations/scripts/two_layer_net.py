"""2 層ネットワーク (勾配は grad_W, grad_b から読む)."""
import numpy as np

from layers import ReLU, Affine, SoftmaxWithLoss


def numerical_gradient(f, x, h=1e-4):
    grad = np.zeros_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)   # views
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f1 = f(x)
        flat[i] = old - h
        f2 = f(x)
        flat[i] = old
        g[i] = (f1 - f2) / (2 * h)
    return grad


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        rng = rng or np.random.default_rng()
        self.params = dict(
            W1=weight_init_std * rng.standard_normal((input_size, hidden_size)),
            b1=np.zeros(hidden_size),
            W2=weight_init_std * rng.standard_normal((hidden_size, output_size)),
            b2=np.zeros(output_size))
        self.affine1 = Affine(self.params["W1"], self.params["b1"])
        self.relu = ReLU()
        self.affine2 = Affine(self.params["W2"], self.params["b2"])
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        return self.affine2.forward(self.relu.forward(self.affine1.forward(x)))

    def loss(self, x, t):
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t):
        labels = t if t.ndim == 1 else t.argmax(axis=1)
        return np.mean(self.predict(x).argmax(axis=1) == labels)

    def numerical_gradient(self, x, t):
        f = lambda _: self.loss(x, t)  # noqa: E731
        return {k: numerical_gradient(f, self.params[k]) for k in ("W1", "b1", "W2", "b2")}

    def gradient(self, x, t):
        self.loss(x, t)
        d = self.last.backward()
        d, _, _ = self.affine2.backward(d)
        d = self.relu.backward(d)
        self.affine1.backward(d)
        return {"W1": self.affine1.grad_W, "b1": self.affine1.grad_b,
                "W2": self.affine2.grad_W, "b2": self.affine2.grad_b}


def gradient_check(net, x, t):
    num = net.numerical_gradient(x, t)
    bp = net.gradient(x, t)
    return {k: np.abs(bp[k] - num[k]).mean() for k in num}
