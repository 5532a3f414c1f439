# coding: utf-8
"""手書き数字の学習 (教科書 train_neuralnet.py を参考にした)"""

import numpy as np

from dataset import load_digits_data
from two_layer_net import TwoLayerNet


def train(net, x_train, t_train, x_test, t_test, iters_num=1000, batch_size=100,
          learning_rate=0.1, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    train_size = x_train.shape[0]
    train_loss_list = []
    train_acc_list = []
    test_acc_list = []
    iter_per_epoch = max(train_size / batch_size, 1)

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
            print(train_acc, test_acc)
    return train_loss_list, train_acc_list, test_acc_list


if __name__ == "__main__":
    (x_train, t_train), (x_test, t_test) = load_digits_data(normalize=True, one_hot_label=True)
    network = TwoLayerNet(input_size=64, hidden_size=50, output_size=10)
    train(network, x_train, t_train, x_test, t_test, iters_num=2000)
