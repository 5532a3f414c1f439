"""Hidden tests: scripts/dataset.py (the digits) and train() of scripts/train_neuralnet.py.

train() is judged on its own. It runs on the student's TwoLayerNet (whose ``params``
hold the numbers) but with ``gradient``, ``loss`` and ``accuracy`` supplied by the test:
the reference network's, computed here at parameters that follow the updates train
should make (``params -= learning_rate * grad`` after each gradient). So a mistake in a
layer or in the network never reaches this test, and whatever activation the student's
network uses does not matter. The test then checks

* that net.params changed exactly as those updates say (else the kind of difference:
  a flipped sign, a missing learning rate...);
* that the layers still use the arrays in params (updated in place, not replaced);
* the returned lists (the losses net.loss returned; accuracies once per epoch);
* and the test accuracy the updates reached with the student's mini-batches.
"""

import numpy as np

from checks import (Mistake, as_array, expect, expect_array, expect_length, expect_tuple,
                    label, resolve)

HIDDEN, ITERATIONS, BATCH, LEARNING_RATE = 30, 300, 100, 0.3
MIN_TEST_ACCURACY = 0.90   # the reference reaches about 0.95 (0.94-0.95 over seeds)
KEYS = ("W1", "b1", "W2", "b2")


def _digits(reference):
    return reference("dataset").load_digits_data(normalize=True, one_hot_label=True)


def test_load_digits_data(student, reference):
    module, ref = student("dataset"), reference("dataset")
    for normalize, one_hot in ((True, True), (False, False)):
        result = expect_tuple(module.load_digits_data(normalize=normalize,
                                                      one_hot_label=one_hot), 2,
                              "load_digits_data(...)")
        expected = ref.load_digits_data(normalize=normalize, one_hot_label=one_hot)
        for pair, want, part in zip(result, expected, ("train", "test")):
            got = expect_tuple(pair, 2, f"load_digits_data(...) ({part})")
            what = f"load_digits_data(normalize={normalize}, one_hot_label={one_hot})"
            expect_array(got[0], want[0], f"{what}: x_{part}", rtol=1e-12)
            expect_array(got[1], want[1], f"{what}: t_{part}", rtol=0, atol=0)


class _Mirror:
    """The reference network at the parameters train should have reached.

    Its gradient, loss and accuracy are handed to the student's train as the network's
    methods. The update the student should make after a gradient is applied here at the
    next call (or at the end), so every value is computed at the right parameters.
    """

    def __init__(self, reference, start, x_train, x_test):
        self.net = reference("two_layer_net").TwoLayerNet(64, HIDDEN, 10, 0.01,
                                                          np.random.default_rng(0))
        for key in KEYS:
            self.net.params[key][...] = start[key]
        self.sizes = {len(x_train): "train", len(x_test): "test"}
        self.pending = None
        self.gradients = 0
        self.batches_ok = True
        self.losses, self.accuracies = [], {"train": [], "test": []}

    def settle(self):
        if self.pending is not None:
            for key in KEYS:
                self.net.params[key] -= LEARNING_RATE * self.pending[key]
            self.pending = None

    def gradient(self, x, t):
        self.settle()
        x = np.asarray(x, dtype=float)
        self.batches_ok = self.batches_ok and x.shape == (BATCH, 64)
        self.gradients += 1
        self.pending = {key: np.array(value)
                        for key, value in self.net.gradient(x, np.asarray(t)).items()}
        return {key: value.copy() for key, value in self.pending.items()}

    def loss(self, x, t):
        self.settle()
        value = float(self.net.loss(np.asarray(x, dtype=float), np.asarray(t)))
        self.losses.append(value)
        return value

    def accuracy(self, x, t):
        self.settle()
        value = float(self.net.accuracy(np.asarray(x, dtype=float), np.asarray(t)))
        self.accuracies.setdefault(self.sizes.get(len(x), "other"), []).append(value)
        return value


def _start():
    rng = np.random.default_rng(2026)
    return {"W1": 0.01 * rng.standard_normal((64, HIDDEN)), "b1": np.zeros(HIDDEN),
            "W2": 0.01 * rng.standard_normal((HIDDEN, 10)), "b2": np.zeros(10)}


def _linked(student, net, cls, final, x):
    """False when the layers no longer use the arrays in params (None: cannot tell)."""
    try:
        trained = as_array(net.predict(x.copy()), "predict")
        fresh = cls(64, HIDDEN, 10, 0.01, np.random.default_rng(0))
        for key in KEYS:
            student.assign(fresh, ["params", key], final[key].copy())
        again = as_array(fresh.predict(x.copy()), "predict")
    except Exception:  # noqa: BLE001 - predict is judged by its own tests
        return None
    return trained.shape != again.shape or bool(np.allclose(trained, again))


def test_training(student, reference, mistakes, artifacts):
    """train(...) makes the SGD updates in place and returns the documented lists."""
    module, net_module = student("train_neuralnet"), student("two_layer_net")
    (x_train, t_train), (x_test, t_test) = _digits(reference)
    cls, _ = resolve(net_module, "TwoLayerNet", "two_layer_net.py")
    net = cls(64, HIDDEN, 10, 0.01, np.random.default_rng(0))
    start = _start()
    for key in KEYS:
        student.assign(net, ["params", key], start[key].copy())
    mirror = _Mirror(reference, start, x_train, x_test)
    for name in ("gradient", "loss", "accuracy"):
        student.assign(net, [name], getattr(mirror, name))
    result = expect_tuple(module.train(net, x_train.copy(), t_train.copy(), x_test.copy(),
                                       t_test.copy(), ITERATIONS, BATCH, LEARNING_RATE,
                                       np.random.default_rng(7)), 3,
                          "train(net, x_train, t_train, x_test, t_test, ...)")
    mirror.settle()
    losses, train_acc, test_acc = result
    accuracy = float(mirror.net.accuracy(x_test, t_test))
    artifacts.curve("training_loss", {"student": losses},
                    title={"ja": "学習中の損失 (ミニバッチ)", "en": "Training loss (mini-batches)"},
                    ylabel="loss")
    artifacts.curve("accuracy", {"train": train_acc, "test": test_acc},
                    title={"ja": "認識精度 (エポックごと)", "en": "Accuracy per epoch"},
                    xlabel="epoch", ylabel="accuracy")
    artifacts.note("test_accuracy", round(accuracy, 4), {
        "ja": f"学習後のテスト精度: {accuracy:.3f}", "en": f"Test accuracy after training: "
                                                      f"{accuracy:.3f}"})
    expect(mirror.gradients == ITERATIONS and mirror.batches_ok,
           f"net.gradient は 1 回の反復につき 1 回、{BATCH} 行のミニバッチで呼んでください"
           f" ({mirror.gradients} 回呼ばれました)。",
           f"Call net.gradient once per iteration with a mini-batch of {BATCH} rows "
           f"(it was called {mirror.gradients} times).")
    final = {key: as_array(net.params[key], f"net.params['{key}']") for key in KEYS}
    for key in KEYS:
        expect_array(final[key] - start[key], mirror.net.params[key] - start[key],
                     label(f"train の後の net.params['{key}'] の変化 "
                           "(params[key] -= learning_rate * grad[key])",
                           f"The change of net.params['{key}'] made by train "
                           "(params[key] -= learning_rate * grad[key])"), rtol=1e-9, atol=1e-12)
    expect(_linked(student, net, cls, final, x_test[:20]) is not False,
           "学習後、params の値と各レイヤが使う重みが一致していません。更新を "
           "params[key] = ... で書くと新しい配列になり、Affine レイヤは古い配列を"
           "使い続けます。",
           "After training, params and the weights the layers use differ. Updating with "
           "params[key] = ... makes a new array; the Affine layers keep the old one.",
           Mistake.from_catalogue(mistakes, "sgd_params_unlinked"))
    expect_length(losses, ITERATIONS, "train(...)[0] (train_loss_list)")
    if len(mirror.losses) == ITERATIONS:
        expect_array(losses, mirror.losses, label("train_loss_list (net.loss が返した値)",
                                                  "train_loss_list (what net.loss returned)"),
                     rtol=1e-9)
    for listed, part in ((train_acc, "train"), (test_acc, "test")):
        values = as_array(listed, f"train(...) ({part}_acc_list)").ravel()
        returned = mirror.accuracies.get(part, [])
        expect(values.size >= 1 and all(any(np.isclose(v, r) for r in returned)
                                         for v in values),
               f"{part}_acc_list には net.accuracy(x_{part}, t_{part}) の値を 1 エポックごとに"
               "記録してください。",
               f"{part}_acc_list must hold what net.accuracy(x_{part}, t_{part}) returned, once "
               "per epoch.")
    expect(accuracy >= MIN_TEST_ACCURACY,
           f"{ITERATIONS} 回の更新の後のテスト精度 {accuracy:.3f} が {MIN_TEST_ACCURACY} "
           "未満です。ミニバッチの選び方 (rng.choice(train_size, batch_size)) を確認してください。",
           f"After {ITERATIONS} updates the test accuracy {accuracy:.3f} is below "
           f"{MIN_TEST_ACCURACY}. Check how the mini-batches are chosen "
           "(rng.choice(train_size, batch_size)).")
