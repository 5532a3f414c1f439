"""8x8 の手書き数字で 2 層ネットワークを学習する / Train the two-layer net on 8x8 digits.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run train_neuralnet.py   (scripts/ の中で / from scripts/)
データは data/digits.npz (scikit-learn の 8x8 手書き数字、MNIST の代わり)。
"""

from pathlib import Path

import numpy as np

from two_layer_net import TwoLayerNet

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


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


def train(net, x_train, t_train, x_test, t_test, iters_num=1000, batch_size=100,
          learning_rate=0.1, rng=None):
    """ミニバッチ SGD で学習し (train_loss_list, train_acc_list, test_acc_list) を返す.

    各反復: batch_mask = rng.choice(train_size, batch_size) でミニバッチを選び、
    grad = net.gradient(...)、net.params[key] -= learning_rate * grad[key] (その場で更新)、
    更新後のミニバッチの損失を train_loss_list に追加。
    1 エポック (iter_per_epoch = max(train_size // batch_size, 1) 回) ごとに訓練データと
    テストデータの正解率を記録する。
    Each iteration: pick a mini-batch with rng.choice(train_size, batch_size), compute
    net.gradient, update net.params[key] -= learning_rate * grad[key] *in place*, append
    the mini-batch loss after the update. Once per epoch record the accuracy on the
    training and the test data.
    """
    rng = np.random.default_rng() if rng is None else rng
    # TODO: 実装する / implement
    raise NotImplementedError("train")


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (x_train, t_train), (x_test, t_test) = load_digits_data(one_hot_label=True)
    net = TwoLayerNet(64, 50, 10, rng=np.random.default_rng(0))
    losses, train_acc, test_acc = train(net, x_train, t_train, x_test, t_test,
                                        rng=np.random.default_rng(1))
    print(f"train acc = {train_acc[-1]:.4f}, test acc = {test_acc[-1]:.4f}")

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(losses)
    left.set_xlabel("iteration")
    left.set_ylabel("loss")
    right.plot(train_acc, label="train")
    right.plot(test_acc, label="test", linestyle="--")
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.set_ylim(0, 1.0)
    right.legend()
    fig.tight_layout()
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / "train_neuralnet.png", dpi=80)
