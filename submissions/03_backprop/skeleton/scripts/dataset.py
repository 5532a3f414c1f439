"""8x8 の手書き数字を読む / Read the 8x8 handwritten digits.

TODO の部分を実装してください。 Fill in the part marked TODO.
データは data/digits.npz (scikit-learn の 8x8 手書き数字、MNIST の代わり)。
two_layer_net.py (勾配確認) と train_neuralnet.py (学習) の両方がここから読みます
(教科書の dataset/mnist.py の役割)。
Both two_layer_net.py (gradient check) and train_neuralnet.py (training) import
load_digits_data from this file, so neither of them imports the other.
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"


def load_digits_data(normalize=True, one_hot_label=False):
    """((x_train, t_train), (x_test, t_test)) を返す / return the training and test data.

    x は (N, 64) の float64。normalize=True なら画素値 0〜16 を 16 で割って 0〜1 にする。
    one_hot_label=True ならラベル t を one-hot (N, 10) にする。
    x is float64 (N, 64), divided by 16 when normalize (pixels are 0..16); with
    one_hot_label the labels become one-hot rows (N, 10).
    ファイルの中身 / the file holds x_train, t_train, x_test, t_test (np.load(DATA)).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("load_digits_data")
