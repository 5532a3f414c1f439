"""8x8 の手書き数字で 2 層ネットワークを学習する / Train the two-layer net on 8x8 digits.

実行 / run:  uv run train_neuralnet.py   (scripts/ の中で / from scripts/)
"""

from pathlib import Path

import numpy as np

from dataset import load_digits_data
from two_layer_net import TwoLayerNet

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"


def train(net, x_train, t_train, x_test, t_test, iters_num=1000, batch_size=100,
          learning_rate=0.1, rng=None):
    """ミニバッチ SGD で学習し (train_loss_list, train_acc_list, test_acc_list) を返す."""
    rng = np.random.default_rng() if rng is None else rng

    train_size = x_train.shape[0]
    train_loss_list = []
    train_acc_list = []
    test_acc_list = []

    iter_per_epoch = max(train_size // batch_size, 1)

    for i in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]

        # 勾配
        grad = net.gradient(x_batch, t_batch)

        # 更新
        for key in ('W1', 'b1', 'W2', 'b2'):
            net.params[key] -= learning_rate * grad[key]

        loss = net.loss(x_batch, t_batch)
        train_loss_list.append(loss)

        if i % iter_per_epoch == 0:
            train_acc = net.accuracy(x_train, t_train)
            test_acc = net.accuracy(x_test, t_test)
            train_acc_list.append(train_acc)
            test_acc_list.append(test_acc)

    return train_loss_list, train_acc_list, test_acc_list


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
