"""勾配を求めるシンプルなネットワーク (simpleNet) / A simple network and its gradient.

Reference solution (002 「[演習] NNにおいて勾配を求めるクラスの実装」, notebook 2_7;
ゼロから作るDeep Learning 4.4.2, gradient_simplenet.py).
"""

import numpy as np

from layers import cross_entropy_error, softmax
from two_layer_net import numerical_gradient


class SimpleNet:
    """One weight matrix W (2, 3): scores x W, loss softmax + cross-entropy error."""

    def __init__(self, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((2, 3))

    def predict(self, x):
        return x @ self.W

    def loss(self, x, t):
        return cross_entropy_error(softmax(self.predict(x)), t)

    def numerical_gradient(self, x, t):
        def f(_):
            return self.loss(x, t)

        return numerical_gradient(f, self.W)  # self.W itself: f sees each shift


if __name__ == "__main__":
    net = SimpleNet(rng=np.random.default_rng(0))
    x = np.array([[0.6, 0.9]])
    t = np.array([[0.0, 0.0, 1.0]])
    print("loss =", net.loss(x, t))
    print("dW =\n", net.numerical_gradient(x, t))
