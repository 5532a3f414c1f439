"""公開テスト: dataset.py と train_neuralnet.py / Public tests: the data and train().

train はテストが用意したネットワーク (あなたの TwoLayerNet の params を使い、gradient, loss,
accuracy はテストが計算する) で動かすので、train だけを確かめます。
train runs with a network whose params are your TwoLayerNet's but whose gradient, loss
and accuracy the test supplies (a simple quadratic), so that only train is judged.
"""

from pathlib import Path

import numpy as np

from checks import (as_array, expect, expect_array, expect_length, expect_tuple, label,
                    resolve)

DATA = Path(__file__).resolve().parent.parent / "data" / "digits.npz"
KEYS = ("W1", "b1", "W2", "b2")


def test_load_digits_data(student):
    module = student("dataset")
    with np.load(DATA) as data:
        raw = {name: data[name] for name in ("x_train", "t_train", "x_test", "t_test")}
    for normalize, one_hot in ((True, True), (False, False)):
        what = f"load_digits_data(normalize={normalize}, one_hot_label={one_hot})"
        result = expect_tuple(module.load_digits_data(normalize=normalize,
                                                      one_hot_label=one_hot), 2, what)
        for pair, part in zip(result, ("train", "test")):
            x, t = expect_tuple(pair, 2, f"{what} ({part})")
            pixels = raw[f"x_{part}"].astype(float) / (16.0 if normalize else 1.0)
            labels = raw[f"t_{part}"]
            expect_array(x, pixels, f"{what}: x_{part}")
            expect_array(t, np.eye(10)[labels] if one_hot else labels, f"{what}: t_{part}")


class _Quadratic:
    """A stand-in for the network's gradient, loss and accuracy: loss = ½ Σ (p - target)^2.

    It follows the updates train should make (params -= lr * grad, once per gradient) so
    that the test can compare them with what your train did to net.params.
    """

    def __init__(self, start, learning_rate):
        self.params = {key: value.copy() for key, value in start.items()}
        self.target = {key: np.full_like(value, 0.5) for key, value in start.items()}
        self.learning_rate = learning_rate
        self.pending = None
        self.batches, self.losses = [], []

    def settle(self):
        if self.pending is not None:
            for key, value in self.pending.items():
                self.params[key] -= self.learning_rate * value
            self.pending = None

    def gradient(self, x, t):
        self.settle()
        self.batches.append(np.asarray(x, dtype=float))
        self.pending = {key: self.params[key] - self.target[key] for key in KEYS}
        return {key: value.copy() for key, value in self.pending.items()}

    def loss(self, x, t):
        self.settle()
        value = 0.5 * sum(float(np.sum((self.params[k] - self.target[k]) ** 2)) for k in KEYS)
        self.losses.append(value)
        return value

    def accuracy(self, x, t):
        self.settle()
        return 0.25 if len(x) == 12 else 0.75


def _host(student, start):
    cls, _ = resolve(student("two_layer_net"), "TwoLayerNet", "two_layer_net.py")
    net = cls(3, 4, 2, rng=np.random.default_rng(0))
    for key in KEYS:
        student.assign(net, ["params", key], start[key].copy())
    return net, cls


def test_train(student):
    """params の更新 (その場で)、損失と正解率のリスト / the updates and the returned lists."""
    module = student("train_neuralnet")
    rng = np.random.default_rng(5)
    start = {"W1": rng.standard_normal((3, 4)), "b1": np.zeros(4),
             "W2": rng.standard_normal((4, 2)), "b2": np.zeros(2)}
    x_train, x_test = rng.standard_normal((12, 3)), rng.standard_normal((5, 3))
    t_train, t_test = np.eye(2)[rng.integers(0, 2, 12)], np.eye(2)[rng.integers(0, 2, 5)]
    net, cls = _host(student, start)
    model = _Quadratic(start, 0.1)
    for name in ("gradient", "loss", "accuracy"):
        student.assign(net, [name], getattr(model, name))
    result = expect_tuple(module.train(net, x_train.copy(), t_train.copy(), x_test.copy(),
                                       t_test.copy(), 20, 4, 0.1, np.random.default_rng(1)),
                          3, "train(...)")
    model.settle()
    losses, train_acc, test_acc = result
    expect_length(losses, 20, "train_loss_list")
    expect(len(model.batches) == 20 and all(
        b.shape == (4, 3) and all(np.any(np.all(x_train == row, axis=1)) for row in b)
        for b in model.batches),
        "net.gradient は毎回 x_train から選んだ 4 行 (batch_size) で呼んでください。",
        "Call net.gradient once per iteration with 4 rows (batch_size) taken from x_train.")
    if len(model.losses) == 20:
        expect_array(losses, model.losses, label("train_loss_list (net.loss の値)",
                                                 "train_loss_list (what net.loss returned)"))
    for listed, right, name in ((train_acc, 0.25, "train_acc_list"),
                                (test_acc, 0.75, "test_acc_list")):
        values = as_array(listed, name).ravel()
        expect(values.size >= 1 and bool(np.all(values == right)),
               f"{name} には net.accuracy の値を 1 エポックごとに記録してください。",
               f"{name} must hold what net.accuracy returned, once per epoch.")
    final = net.params
    for key in KEYS:
        expect_array(as_array(final[key], f"net.params['{key}']") - start[key],
                     model.params[key] - start[key],
                     label(f"net.params['{key}'] の変化 (params[key] -= lr * grad[key])",
                           f"The change of net.params['{key}'] (params[key] -= lr * grad[key])"))
    _expect_linked(student, net, cls, final)


def _expect_linked(student, net, cls, final):
    """The layers still use the arrays in params (updated in place, not replaced)."""
    try:
        trained = as_array(net.predict(np.ones((2, 3))), "predict")
        fresh = cls(3, 4, 2, rng=np.random.default_rng(0))
        for key in KEYS:
            student.assign(fresh, ["params", key], np.asarray(final[key], dtype=float))
        again = as_array(fresh.predict(np.ones((2, 3))), "predict")
    except Exception:  # noqa: BLE001 - predict has its own test
        return
    expect(trained.shape != again.shape or np.allclose(trained, again),
           "train の後、params とレイヤの重みが別の配列になっています。"
           "net.params[key] -= ... のように、その場で更新してください。",
           "After train, params and the layers' weights are different arrays. Update in "
           "place: net.params[key] -= ...")
