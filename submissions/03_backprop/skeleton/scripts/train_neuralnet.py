"""8x8 の手書き数字で 2 層ネットワークを学習する / Train the two-layer net on 8x8 digits.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run train_neuralnet.py   (scripts/ の中で / from scripts/)
データは dataset.py の load_digits_data で読みます (data/digits.npz、8x8 の手書き数字)。
The data is read by load_digits_data in dataset.py.
"""

from pathlib import Path

import numpy as np

from dataset import load_digits_data
from two_layer_net import TwoLayerNet

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


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
    net について使うのは net.params, net.gradient, net.loss, net.accuracy だけにすること
    (採点ではこの 4 つを持つネットワークで train だけを確かめます)。
    Use only net.params, net.gradient, net.loss and net.accuracy (grading checks train on
    its own with a network that offers these four).
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
