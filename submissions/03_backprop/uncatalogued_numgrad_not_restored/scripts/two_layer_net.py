"""2 層ネットワーク (別の書き方) / two-layer net, other idioms."""

import numpy as np

from layers import AffineLayer, ReLU, SoftmaxWithLoss


def numerical_gradient(f, x, h=1e-4):
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(*x.shape):
        original = x[idx]
        x[idx] = original + h
        f_plus = f(x)
        x[idx] = original - h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2.0 * h)
    return grad


class TwoLayerNet:
    """AffineLayer - ReLU - AffineLayer - SoftmaxWithLoss."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.params = {
            'W1': weight_init_std * rng.standard_normal((input_size, hidden_size)),
            'b1': np.zeros(hidden_size),
            'W2': weight_init_std * rng.standard_normal((hidden_size, output_size)),
            'b2': np.zeros(output_size),
        }
        self.affine1 = AffineLayer(self.params['W1'], self.params['b1'])
        self.relu = ReLU()
        self.affine2 = AffineLayer(self.params['W2'], self.params['b2'])
        self.layers = [self.affine1, self.relu, self.affine2]
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        h = x
        for layer in self.layers:
            h = layer.forward(h)
        return h

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        pred = self.predict(x).argmax(axis=1)
        labels = t.argmax(axis=1) if np.ndim(t) == 2 else np.asarray(t)
        return float(np.mean(pred == labels))

    def numerical_gradient(self, x, t):
        f = lambda _: self.loss(x, t)
        return {key: numerical_gradient(f, self.params[key]) for key in ('W1', 'b1', 'W2', 'b2')}

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            result = layer.backward(dout)
            dout = result[0] if isinstance(result, tuple) else result
        return {'W1': self.affine1.dW, 'b1': self.affine1.db,
                'W2': self.affine2.dW, 'b2': self.affine2.db}


def gradient_check(net, x, t):
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    return {key: float(np.mean(np.abs(backprop[key] - numerical[key]))) for key in numerical}


if __name__ == "__main__":
    from dataset import load_digits_data

    (x_train, t_train), _ = load_digits_data(one_hot_label=False)
    net = TwoLayerNet(64, 10, 10, rng=np.random.default_rng(0))
    for key, diff in gradient_check(net, x_train[:3], t_train[:3]).items():
        print(f"{key}: {diff:.3e}")
