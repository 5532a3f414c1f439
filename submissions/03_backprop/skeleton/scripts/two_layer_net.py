"""2 層ニューラルネットワーク (誤差逆伝播法) / Two-layer network with back-propagation.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run two_layer_net.py   (scripts/ の中で / from scripts/) — 勾配確認を表示
"""

import numpy as np

from layers import Affine, Relu, SoftmaxWithLoss


def numerical_gradient(f, x, h=1e-4):
    """中心差分 (f(x + h) - f(x - h)) / 2h で f の x での勾配を返す (x は何次元でもよい).

    要素を 1 つずつずらし、f(x) を計算したら必ず元の値に戻すこと (x は最後に元通り)。
    Return the gradient of f at x by central differences, for an x of any shape: shift
    one element at a time and put it back before moving on (x is restored afterwards).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("numerical_gradient")


class TwoLayerNet:
    """Affine - Relu - Affine - SoftmaxWithLoss.

    隠れ層の活性化関数は Relu (002 「[演習] 誤差逆伝播に対応したNNの実装」) でも Sigmoid
    (003 「二層のニューラルネットワーク」) でもかまいません。Sigmoid にするなら layers から
    Sigmoid を import してください。
    The hidden layer may use Relu (deck 002) or Sigmoid (deck 003's TwoLayerNet); both are
    accepted. For Sigmoid, import Sigmoid from layers instead of Relu.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        """self.params と各レイヤを作る / build self.params and the layers.

        params = {'W1': weight_init_std * rng.standard_normal((input_size, hidden_size)),
                  'b1': zeros(hidden_size), 'W2': ... (hidden_size, output_size), 'b2': ...}
        レイヤは params の配列そのもの (コピーではなく) を使うこと。
        The layers use the very arrays in params (not copies), so updating params in
        place (params[key] -= ...) updates the layers.
        """
        rng = np.random.default_rng() if rng is None else rng
        # TODO: 実装する / implement
        raise NotImplementedError("TwoLayerNet.__init__")

    def predict(self, x):
        """各レイヤの forward を順に適用したスコア (N, output_size) を返す (softmax の前).

        003 「学習アルゴリズムの実装」 のように softmax の確率を返してもかまいません (そのときは
        loss を cross_entropy_error(predict(x), t) にする)。
        Return the scores: each layer's forward in order (without the loss layer, so no
        softmax). Returning the softmax probabilities, as deck 003's TwoLayerNet does, is
        right too; loss is then cross_entropy_error(predict(x), t).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("TwoLayerNet.predict")

    def loss(self, x, t):
        """predict の結果と t から SoftmaxWithLoss の損失を返す / return the loss.

        predict が確率を返す形なら cross_entropy_error(predict(x), t) / with probabilities
        from predict, cross_entropy_error(predict(x), t).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("TwoLayerNet.loss")

    def accuracy(self, x, t):
        """正解率 (0〜1 の float) を返す。t は one-hot でもラベルでもよい.

        Return the fraction of correct predictions; t is one-hot or labels.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("TwoLayerNet.accuracy")

    def numerical_gradient(self, x, t):
        """数値微分による勾配 {'W1', 'b1', 'W2', 'b2'} を返す.

        numerical_gradient(f, self.params[key]) を使う。f は self.loss(x, t) を返す関数。
        Return the numerical gradient of loss(x, t) for each key, with
        numerical_gradient(f, self.params[key]).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("TwoLayerNet.numerical_gradient")

    def gradient(self, x, t):
        """誤差逆伝播法による勾配 {'W1', 'b1', 'W2', 'b2'} を返す.

        forward (self.loss) → 最後のレイヤの backward(1) → 各レイヤの backward を逆順に。
        Affine レイヤの dW, db を集めて返す。
        Forward (self.loss), then backward through the loss layer and the layers in
        reverse order; return the Affine layers' dW and db.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("TwoLayerNet.gradient")


def gradient_check(net, x, t):
    """勾配確認: キーごとに mean |backprop - numerical| を dict で返す.

    net.numerical_gradient(x, t) と net.gradient(x, t) だけを使うこと。
    Gradient check: return {key: mean |backprop - numerical|} using only
    net.numerical_gradient(x, t) and net.gradient(x, t).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("gradient_check")


if __name__ == "__main__":
    from dataset import load_digits_data

    (x_train, t_train), _ = load_digits_data(one_hot_label=True)
    net = TwoLayerNet(64, 10, 10, rng=np.random.default_rng(0))
    for key, diff in gradient_check(net, x_train[:3], t_train[:3]).items():
        print(f"{key}: {diff:.3e}")
