# coding: utf-8
"""simpleNet (教科書 4.4.2 の gradient_simplenet.py を参考にした)"""
import numpy as np

from layers import softmax, cross_entropy_error
from two_layer_net import numerical_gradient


class SimpleNet:
    def __init__(self, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((2, 3))  # 標準正規分布で初期化

    def predict(self, x):
        return np.dot(x, self.W)

    def loss(self, x, t):
        z = self.predict(x)
        y = softmax(z)
        loss = cross_entropy_error(y, t)

        return loss

    def numerical_gradient(self, x, t):
        f = lambda w: self.loss(x, t)
        dW = numerical_gradient(f, self.W)
        return dW


if __name__ == "__main__":
    x = np.array([[0.6, 0.9]])
    t = np.array([[0, 0, 1]])

    net = SimpleNet(rng=np.random.default_rng(0))
    print(net.W)
    print(net.loss(x, t))
    print(net.numerical_gradient(x, t))
