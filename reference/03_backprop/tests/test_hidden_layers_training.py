"""Hidden tests: scripts/train_neuralnet.py (digits data, mini-batch SGD).

The student's ``train`` drives the student's ``TwoLayerNet``, started from the same
parameters as the reference (set by the test). Mini-batches are the student's own
random draws, so the criterion is a minimum test accuracy, not a curve; the loss and
accuracy curves are recorded beside the reference's for the report.
"""

import numpy as np

from checks import (Mistake, as_array, expect, expect_array, expect_length, expect_tuple,
                    resolve)

HIDDEN, ITERATIONS, BATCH, LEARNING_RATE = 30, 300, 100, 0.3
MIN_TEST_ACCURACY = 0.90   # the reference reaches about 0.95 (0.94-0.95 over seeds)
KEYS = ("W1", "b1", "W2", "b2")
_reference_runs: dict = {}


def _digits(reference):
    return reference("train_neuralnet").load_digits_data(normalize=True, one_hot_label=True)


def _initial_params(reference):
    net = reference("two_layer_net").TwoLayerNet(64, HIDDEN, 10, 0.01,
                                                 np.random.default_rng(2026))
    return {key: value.copy() for key, value in net.params.items()}


def _reference_run(reference):
    """The reference's curves (computed once per judge process; deterministic)."""
    if "run" not in _reference_runs:
        (x_train, t_train), (x_test, t_test) = _digits(reference)
        net = reference("two_layer_net").TwoLayerNet(64, HIDDEN, 10, 0.01,
                                                     np.random.default_rng(2026))
        curves = reference("train_neuralnet").train(
            net, x_train, t_train, x_test, t_test, ITERATIONS, BATCH, LEARNING_RATE,
            np.random.default_rng(7))
        _reference_runs["run"] = curves
    return _reference_runs["run"]


def test_load_digits_data(student, reference):
    module, ref = student("train_neuralnet"), reference("train_neuralnet")
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


def test_training(student, reference, mistakes, artifacts):
    """train(...) with your TwoLayerNet reaches the minimum test accuracy."""
    module, net_module = student("train_neuralnet"), student("two_layer_net")
    (x_train, t_train), (x_test, t_test) = _digits(reference)
    cls, _ = resolve(net_module, "TwoLayerNet", "two_layer_net.py")
    net = cls(64, HIDDEN, 10, 0.01, np.random.default_rng(0))
    start = _initial_params(reference)
    for key in KEYS:
        student.assign(net, ["params", key], start[key].copy())
    result = expect_tuple(module.train(net, x_train.copy(), t_train.copy(), x_test.copy(),
                                       t_test.copy(), ITERATIONS, BATCH, LEARNING_RATE,
                                       np.random.default_rng(7)), 3,
                          "train(net, x_train, t_train, x_test, t_test, ...)")
    losses, train_acc, test_acc = result
    ref_losses, ref_train_acc, ref_test_acc = _reference_run(reference)
    artifacts.curve("training_loss", {"student": losses, "reference": ref_losses},
                    title={"ja": "学習中の損失 (ミニバッチ)", "en": "Training loss (mini-batches)"},
                    ylabel="loss")
    artifacts.curve("accuracy", {"student (train)": train_acc, "student (test)": test_acc,
                                 "reference (train)": ref_train_acc,
                                 "reference (test)": ref_test_acc},
                    title={"ja": "認識精度 (エポックごと)", "en": "Accuracy per epoch"},
                    xlabel="epoch", ylabel="accuracy")
    expect_length(losses, ITERATIONS, "train(...)[0] (train_loss_list)")
    # Once per epoch; the book's float iter_per_epoch (14.37 here) records only i = 0: accepted.
    accuracies = as_array(test_acc, "train(...)[2] (test_acc_list)").ravel()
    expect(accuracies.size >= 1 and bool(np.all((accuracies >= 0) & (accuracies <= 1))),
           "test_acc_list には 0〜1 の正解率を 1 つ以上記録してください。",
           "test_acc_list must hold at least one accuracy between 0 and 1.")
    predictions = as_array(net.predict(x_test.copy()), "TwoLayerNet.predict(x_test)")
    expect(predictions.shape == (len(x_test), 10),
           f"predict(x_test) の形が {predictions.shape} です。",
           f"predict(x_test) has shape {predictions.shape}.")
    accuracy = float(np.mean(np.argmax(predictions, axis=1) == np.argmax(t_test, axis=1)))
    artifacts.note("test_accuracy", round(accuracy, 4), {
        "ja": f"学習後のテスト精度: {accuracy:.3f} (参照解 {ref_test_acc[-1]:.3f})",
        "en": f"Test accuracy after training: {accuracy:.3f} "
              f"(reference {ref_test_acc[-1]:.3f})"})
    if accuracy < MIN_TEST_ACCURACY:
        # Were the updates lost? The layers must use the arrays in params.
        params = net.params
        own = reference("two_layer_net").TwoLayerNet(64, HIDDEN, 10, 0.01,
                                                     np.random.default_rng(0))
        for key in KEYS:
            own.params[key][...] = np.asarray(params[key], dtype=float)
        unlinked = not np.allclose(own.predict(x_test), predictions, rtol=1e-6, atol=1e-8)
        expect(not unlinked,
               "学習後、params の値と各レイヤが使う重みが一致していません。更新を "
               "params[key] = ... で書くと新しい配列になり、Affine レイヤは古い配列を"
               "使い続けます。",
               "After training, params and the weights the layers use differ. Updating with "
               "params[key] = ... makes a new array; the Affine layers keep the old one.",
               Mistake.from_catalogue(mistakes, "sgd_params_unlinked"))
    expect(accuracy >= MIN_TEST_ACCURACY,
           f"{ITERATIONS} 回の学習後のテスト精度 {accuracy:.3f} が {MIN_TEST_ACCURACY} 未満です"
           f" (参照解 {ref_test_acc[-1]:.3f})。",
           f"After {ITERATIONS} iterations the test accuracy {accuracy:.3f} is below "
           f"{MIN_TEST_ACCURACY} (reference {ref_test_acc[-1]:.3f}).")
