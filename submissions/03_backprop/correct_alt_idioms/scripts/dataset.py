"""8x8 の手書き数字を読む (教科書の dataset/mnist.py の役割) / read the 8x8 digits."""

from pathlib import Path
import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"


def load_digits_data(normalize=True, one_hot_label=False):
    data = np.load(DATA)
    x_train = np.array(data["x_train"], dtype=np.float64)
    x_test = np.array(data["x_test"], dtype=np.float64)
    t_train, t_test = data["t_train"], data["t_test"]
    if normalize:
        x_train, x_test = x_train / 16.0, x_test / 16.0
    if one_hot_label:
        t_train, t_test = np.eye(10)[t_train], np.eye(10)[t_test]
    return (x_train, t_train), (x_test, t_test)
