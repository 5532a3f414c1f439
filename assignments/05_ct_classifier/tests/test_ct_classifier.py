"""公開テスト: scripts/ct_classifier.py / Public tests for ct_classifier.py.

実行方法 / run:  uv run pytest   (または / or: pytest)
"""

import numpy as np

from checks import expect, expect_array, expect_length

C = np.array([0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1], dtype=float)
T = np.array([1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0], dtype=float)


def test_with_threshold_input(student):
    ct = student("ct_classifier")
    expect_array(ct.with_threshold_input(np.array([[1.0, 0.0], [0.0, 1.0]])),
                 [[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]],
                 "with_threshold_input([[1, 0], [0, 1]]) (最後に -1 / -1 appended last)")


def test_softmax(student):
    ct = student("ct_classifier")
    expect_array(ct.softmax(np.array([[0.0, np.log(3.0)], [2.0, 2.0]])),
                 [[0.25, 0.75], [0.5, 0.5]], "softmax([[0, log 3], [2, 2]]) (行ごと / per row)")


def test_forward_shapes(student):
    ct = student("ct_classifier")
    net = ct.CTNet(np.random.default_rng(0))
    w1, w2 = np.asarray(net.W1), np.asarray(net.W2)
    expect(w1.shape == (13, 3) and w2.shape == (4, 2),
           f"W1, W2 の形が {w1.shape}, {w2.shape} です (期待 (13, 3), (4, 2): 47 個)。",
           f"W1 and W2 have shapes {w1.shape} and {w2.shape} (expected (13, 3) and (4, 2): "
           "47 parameters).")
    y = np.asarray(net.forward(np.array([C, T])), dtype=float)
    expect(y.shape == (2, 2), f"forward の出力の形が {y.shape} です (期待 (2, 2))。",
           f"forward returned shape {y.shape} (expected (2, 2)).")
    expect_array(y.sum(axis=1), [1.0, 1.0], "forward(x).sum(axis=1) (softmax: 各行の和は 1)")


def test_train_decreases_loss(student):
    ct = student("ct_classifier")
    net = ct.CTNet(np.random.default_rng(1), learning_rate=1.0)
    losses = net.train(np.array([C, T]), np.array([[1.0, 0.0], [0.0, 1.0]]), 50)
    expect_length(losses, 50, "train(x, t, 50) (losses)")
    expect(losses[-1] < losses[0], "学習で誤差が減っていません。", "The loss does not decrease.")
