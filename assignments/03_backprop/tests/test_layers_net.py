"""公開テスト: TwoLayerNet, gradient_check, train / Public tests: the network and training."""

import numpy as np

from checks import expect, expect_length, expect_tuple, resolve


def _net(student, *sizes):
    cls, _ = resolve(student("two_layer_net"), "TwoLayerNet", "two_layer_net.py")
    return cls(*sizes, rng=np.random.default_rng(0))


def test_two_layer_net_params(student):
    net = _net(student, 64, 30, 10)
    shapes = {key: np.shape(value) for key, value in net.params.items()}
    expect(shapes == {"W1": (64, 30), "b1": (30,), "W2": (30, 10), "b2": (10,)},
           f"params の形が違います: {shapes}", f"params has the wrong shapes: {shapes}")


def test_gradient_check_small(student):
    """勾配確認: 誤差逆伝播法と数値微分の差がとても小さい / backprop agrees with numerics."""
    module = student("two_layer_net")
    net = _net(student, 4, 5, 3)
    x = np.random.default_rng(1).standard_normal((3, 4))
    t = np.eye(3)[[0, 2, 1]]
    result = module.gradient_check(net, x, t)
    expect(isinstance(result, dict) and sorted(result) == ["W1", "W2", "b1", "b2"],
           "gradient_check は W1, b1, W2, b2 をキーとする dict を返す必要があります。",
           "gradient_check must return a dict with the keys W1, b1, W2, b2.")
    for key, value in result.items():
        expect(float(value) >= 0,
               f"{key} の差 {float(value):.3g} が負です。差の絶対値の平均を返してください。",
               f"The difference for {key}, {float(value):.3g}, is negative: return the mean "
               "of the absolute differences.")
        expect(float(value) < 1e-7,
               f"{key} の差 {float(value):.3g} が大きすぎます (1e-7 未満のはず)。",
               f"The difference for {key}, {float(value):.3g}, is too large (expected < 1e-7).")


def test_training_decreases_loss(student):
    module = student("train_neuralnet")
    (x_train, t_train), (x_test, t_test) = module.load_digits_data(one_hot_label=True)
    net = _net(student, 64, 30, 10)
    losses, train_acc, test_acc = expect_tuple(
        module.train(net, x_train, t_train, x_test, t_test, iters_num=100, batch_size=100,
                     learning_rate=0.3, rng=np.random.default_rng(1)), 3, "train(...)")
    expect_length(losses, 100, "train_loss_list")
    first, last = float(np.mean(losses[:5])), float(np.mean(losses[-5:]))
    expect(last < 0.7 * first,
           f"100 回の学習で損失が十分に減っていません ({first:.3f} → {last:.3f})。",
           f"The loss does not decrease enough in 100 iterations ({first:.3f} -> {last:.3f}).")
