"""学習 (エポックごとに並べ替えたミニバッチ)."""

import numpy as np

from dataset import load_digits_data
from two_layer_net import TwoLayerNet


def train(net, x_train, t_train, x_test, t_test, iters_num=1000, batch_size=100,
          learning_rate=0.1, rng=None):
    rng = rng or np.random.default_rng()
    n = len(x_train)
    per_epoch = max(n // batch_size, 1)
    losses, train_acc, test_acc = [], [], []
    order = rng.permutation(n)
    for i in range(iters_num):
        k = i % per_epoch
        if k == 0:
            order = rng.permutation(n)
            train_acc.append(net.accuracy(x_train, t_train))
            test_acc.append(net.accuracy(x_test, t_test))
        idx = order[k * batch_size:(k + 1) * batch_size]
        grads = net.gradient(x_train[idx], t_train[idx])
        for key, g in grads.items():
            net.params[key] -= learning_rate * g
        losses.append(net.loss(x_train[idx], t_train[idx]))
    return losses, train_acc, test_acc
