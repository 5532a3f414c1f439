"""simpleNet: 重み W (2, 3) だけのネットワーク (別の書き方) / simple net, other idioms."""
import numpy as np

import layers
import two_layer_net


class SimpleNet:
    def __init__(self, rng=None):
        self.rng = rng if rng is not None else np.random.default_rng()
        self.W = self.rng.standard_normal(size=(2, 3))

    def predict(self, x):
        return x @ self.W

    def loss(self, x, t):
        return layers.cross_entropy_error(layers.softmax(self.predict(x)), t)

    def numerical_gradient(self, x, t):
        def loss_of_w(w):
            return self.loss(x, t)   # self.W is shifted in place by numerical_gradient
        return two_layer_net.numerical_gradient(loss_of_w, self.W)


if __name__ == "__main__":
    net = SimpleNet(np.random.default_rng(42))
    print(net.numerical_gradient(np.array([[0.6, 0.9]]), np.array([2])))
