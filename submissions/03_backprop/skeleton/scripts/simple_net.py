"""勾配を求めるシンプルなネットワーク (simpleNet) / A simple network and its gradient.

TODO の部分を実装してください。 Fill in the parts marked TODO.
002 「[演習] NNにおいて勾配を求めるクラスの実装」 (2_7) の simpleNet です:
重み W (2, 3) が 1 つだけのネットワークで、損失を W について数値微分します
(ゼロから作るDeep Learning 4.4.2)。
The book's simpleNet: one weight matrix W (2, 3); the loss is differentiated numerically
with respect to W.
実行 / run:  uv run simple_net.py   (scripts/ の中で / from scripts/)
"""

import numpy as np

from layers import cross_entropy_error, softmax
from two_layer_net import numerical_gradient


class SimpleNet:
    """スコア x W、損失は softmax + 交差エントロピー誤差 / scores x W, softmax + cross-entropy.

    x は (N, 2) (1 行 1 データ)、t は one-hot (N, 3) です。
    x is (N, 2), one sample per row; t is one-hot (N, 3).
    """

    def __init__(self, rng=None):
        """self.W = rng.standard_normal((2, 3)) (標準正規分布) / W from rng.standard_normal."""
        rng = np.random.default_rng() if rng is None else rng
        # TODO: 実装する / implement
        raise NotImplementedError("SimpleNet.__init__")

    def predict(self, x):
        """スコア x W (N, 3) を返す (softmax の前) / return the scores x W (before softmax)."""
        # TODO: 実装する / implement
        raise NotImplementedError("SimpleNet.predict")

    def loss(self, x, t):
        """cross_entropy_error(softmax(predict(x)), t) を返す / return the loss.

        layers.py の softmax と cross_entropy_error を使う / use the functions of layers.py.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("SimpleNet.loss")

    def numerical_gradient(self, x, t):
        """損失の W についての勾配 dW (2, 3) を数値微分で返す.

        f(W) = self.loss(x, t) とし、numerical_gradient(f, self.W) を返す。self.W そのもの
        (コピーではなく) を渡すこと: numerical_gradient が self.W の要素をずらすと loss が変わる。
        Return dW (2, 3), the numerical gradient of the loss with respect to W: with
        f = lambda W: self.loss(x, t), return numerical_gradient(f, self.W). Pass self.W
        itself (not a copy), so that shifting its elements changes the loss.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("SimpleNet.numerical_gradient")


if __name__ == "__main__":
    net = SimpleNet(rng=np.random.default_rng(0))
    x = np.array([[0.6, 0.9]])
    t = np.array([[0.0, 0.0, 1.0]])
    print("loss =", net.loss(x, t))
    print("dW =\n", net.numerical_gradient(x, t))
