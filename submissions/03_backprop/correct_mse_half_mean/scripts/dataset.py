"""8x8 の手書き数字を読む (教科書の dataset/mnist.py の役割) / read the 8x8 digits."""

from pathlib import Path
import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"


def _change_one_hot_label(t, n=10):
    T = np.zeros((t.size, n))
    for idx, row in enumerate(T):
        row[t[idx]] = 1
    return T


def load_digits_data(normalize=True, one_hot_label=False):
    """((x_train, t_train), (x_test, t_test)) を返す / return the training and test data."""
    with np.load(DATA) as data:
        x_train = data["x_train"].astype(np.float64)
        t_train = data["t_train"]
        x_test = data["x_test"].astype(np.float64)
        t_test = data["t_test"]

    if normalize:
        x_train /= 16.0
        x_test /= 16.0

    if one_hot_label:
        t_train = _change_one_hot_label(t_train)
        t_test = _change_one_hot_label(t_test)

    return (x_train, t_train), (x_test, t_test)
