"""8x8 の手書き数字を読む / Read the 8x8 handwritten digits (data/digits.npz).

Reference solution. Both two_layer_net.py (its gradient check) and train_neuralnet.py
import load_digits_data from here, so neither of them imports the other (the book's
dataset/mnist.py plays this part).
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"


def load_digits_data(normalize=True, one_hot_label=False):
    """((x_train, t_train), (x_test, t_test)); pixels 0..16 scaled to [0, 1] when normalize."""
    with np.load(DATA) as data:
        x_train, t_train = data["x_train"].astype(np.float64), data["t_train"]
        x_test, t_test = data["x_test"].astype(np.float64), data["t_test"]
    if normalize:
        x_train, x_test = x_train / 16.0, x_test / 16.0
    if one_hot_label:
        t_train, t_test = np.eye(10)[t_train], np.eye(10)[t_test]
    return (x_train, t_train), (x_test, t_test)
