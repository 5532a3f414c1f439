# coding: utf-8
"""手書き数字のデータ (教科書の dataset/mnist.py の代わり)"""

from pathlib import Path
import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"


def load_digits_data(normalize=True, one_hot_label=False):
    data = np.load(DATA)
    x_train = data["x_train"].astype(np.float64)
    x_test = data["x_test"].astype(np.float64)
    t_train = data["t_train"]
    t_test = data["t_test"]
    if normalize:
        x_train /= 16.0
        x_test /= 16.0
    if one_hot_label:
        t_train = np.identity(10)[t_train]
        t_test = np.identity(10)[t_test]
    return (x_train, t_train), (x_test, t_test)
