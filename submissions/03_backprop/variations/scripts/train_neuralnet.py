"""学習 (エポックごとに並べ替えたミニバッチ)."""
import os

import numpy as np

from two_layer_net import TwoLayerNet

HERE = os.path.dirname(os.path.abspath(__file__))


def load_digits_data(normalize=True, one_hot_label=False):
    d = np.load(os.path.join(HERE, "..", "data", "digits.npz"))
    xs = [d["x_train"].astype(float), d["x_test"].astype(float)]
    ts = [d["t_train"], d["t_test"]]
    if normalize:
        xs = [x / 16 for x in xs]
    if one_hot_label:
        ts = [np.eye(10)[t] for t in ts]
    return (xs[0], ts[0]), (xs[1], ts[1])


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
