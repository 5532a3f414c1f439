# coding: utf-8
"""手書き数字のデータ (教科書の dataset/mnist.py の代わり)"""

import os
import numpy as np

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
