"""Hidden tests: CTNet in scripts/ct_classifier.py.

Forward, backward (output layer, hidden layer), the parameter update and training are
separate tests, each on weights the test sets itself (net.W1 = ..., net.W2 = ...), never
on the student's random draws. Expected values come from the reference solution and,
for known mistakes, from the formulas below.

The gradient check compares the student's analytic gradients with numerical ones taken
from the student's *own* forward: a backward consistent with its forward earns those
points even when the forward itself differs from the reference.

Tolerances: 1e-7 (relative) for the forward pass and the update, which are plain
arithmetic; 1e-4 for the gradients and losses, because a student may back-propagate
through log(y + 1e-7) with the chain rule instead of using δ = (y - t) / N, which moves
the result by about 1e-7 / y (accepted, and noted).
"""

import numpy as np

from checks import (Mistake, as_array, as_number, expect, expect_array, expect_length,
                    expect_number)

PATTERN_C = np.array([0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1], dtype=float)
PATTERN_T = np.array([1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0], dtype=float)
SHAPES = {"W1": (13, 3), "W2": (4, 2)}
GRADIENT_RTOL, GRADIENT_ATOL = 1e-4, 1e-8


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _weights(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal(SHAPES["W1"]), scale * rng.standard_normal(SHAPES["W2"])


def _batch(seed, n=6):
    """C and T, then letters with one random pixel flipped; one-hot targets."""
    rng = np.random.default_rng(seed)
    labels = np.concatenate([[0, 1], rng.integers(0, 2, n - 2)])
    x = np.array([(PATTERN_C, PATTERN_T)[label].copy() for label in labels])
    for row in x[2:]:
        pixel = rng.integers(0, 12)
        row[pixel] = 1 - row[pixel]
    return x, np.eye(2)[labels]


def _model(W1, W2, x, t, sign=-1.0, derivative="z(1-z)", mean=True, early_lr=None,
           softmax="rows"):
    """(y, g_W1, g_W2) computed like the reference, or like one of the known mistakes."""
    constant = np.full((len(x), 1), sign)
    xb = np.hstack([x, constant])
    z = 1 / (1 + np.exp(-(xb @ W1)))
    zb = np.hstack([z, constant])
    a = zb @ W2
    if softmax == "rows":
        e = np.exp(a - a.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
    else:  # the book's 1-D softmax on a batch
        e = np.exp(a - a.max())
        y = e / e.sum()
    delta2 = (y - t) / (len(x) if mean else 1)
    g_W2 = zb.T @ delta2
    W2_back = W2 - early_lr * g_W2 if early_lr is not None else W2
    local = z * (1 - z) if derivative == "z(1-z)" else z
    g_W1 = xb.T @ ((delta2 @ W2_back[:-1].T) * local)
    return y, g_W1, g_W2


def _net(module, W1, W2, lr):
    """A CTNet (the student's or the reference's) with the given weights."""
    net = module.CTNet(np.random.default_rng(123), learning_rate=lr)
    net.W1 = W1.copy()
    net.W2 = W2.copy()
    net.lr = lr
    return net


def _close(value, expected, rtol, atol=1e-10):
    value = np.asarray(value, dtype=float)
    return value.shape == np.shape(expected) and bool(
        np.all(np.isfinite(value)) and np.allclose(value, expected, rtol=rtol, atol=atol))


def _note_gradient_form(artifacts, value, expected):
    """Say when the gradient went through log(y + 1e-7) (accepted, not exact)."""
    if not _close(value, expected, rtol=1e-9, atol=1e-12):
        artifacts.note("softmax_gradient", "via_log", {
            "ja": "出力層の勾配が (y - t) / N と 1e-7 程度ずれています。log(y + 1e-7) を"
                  "連鎖律で微分したものと考えられます (許容しています)。",
            "en": "The output gradient differs from (y - t) / N by about 1e-7: probably the "
                  "chain rule through log(y + 1e-7) (accepted)."})


def _backward(ct, W1, W2, x, t, lr):
    net = _net(ct, W1, W2, lr)
    net.forward(x.copy())
    net.backward(t.copy())
    return net


# ----------------------------------------------------------------------------- structure


def test_init(student):
    ct = student("ct_classifier")
    net = ct.CTNet(np.random.default_rng(0), learning_rate=0.3)
    for name, shape in SHAPES.items():
        value = as_array(getattr(net, name), f"CTNet(rng).{name}")
        expect(value.shape == shape,
               f"CTNet(rng).{name} の形が {value.shape} です (期待 {shape})。",
               f"CTNet(rng).{name} has shape {value.shape} (expected {shape}).")
        expect(bool(np.all(np.isfinite(value))) and float(np.ptp(value)) > 0,
               f"CTNet(rng).{name} が乱数で初期化されていません (rng.standard_normal)。",
               f"CTNet(rng).{name} is not initialised with random numbers "
               "(rng.standard_normal).")
    expect_number(net.lr, 0.3, "CTNet(rng, learning_rate=0.3).lr")


# ----------------------------------------------------------------------------- forward


def test_forward(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(10)
    x, t = _batch(11)
    expected = _net(ref, W1, W2, 1.0).forward(x)
    expect_array(_net(ct, W1, W2, 1.0).forward(x.copy()), expected,
                 "CTNet.forward(x) (6 patterns, weights set by the test)", rtol=1e-7,
                 mistakes=[(_mistake(mistakes, "ct_threshold_sign"),
                            _model(W1, W2, x, t, sign=1.0)[0]),
                           (_mistake(mistakes, "ct_softmax_whole_array"),
                            _model(W1, W2, x, t, softmax="whole")[0])])


# ----------------------------------------------------------------------------- backward


def test_backward_output_layer(student, reference, mistakes, artifacts):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(12)
    x, t = _batch(13)
    net = _backward(ct, W1, W2, x, t, lr=0.5)
    g_W2 = _backward(ref, W1, W2, x, t, lr=0.5).g_W2
    value = expect_array(net.g_W2, g_W2, "CTNet.g_W2 after forward(x), backward(t)",
                         rtol=GRADIENT_RTOL, atol=GRADIENT_ATOL, mistakes=[
                             (_mistake(mistakes, "ct_no_batch_mean"), g_W2 * len(x)),
                             (_mistake(mistakes, "ct_threshold_sign"),
                              _model(W1, W2, x, t, sign=1.0)[2]),
                             (_mistake(mistakes, "ct_softmax_whole_array"),
                              _model(W1, W2, x, t, softmax="whole")[2])])
    _note_gradient_form(artifacts, value, g_W2)


def test_backward_hidden_layer(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(14)
    x, t = _batch(15)
    lr = 0.5
    net = _backward(ct, W1, W2, x, t, lr=lr)
    g_W1 = _backward(ref, W1, W2, x, t, lr=lr).g_W1
    expect_array(net.g_W1, g_W1, "CTNet.g_W1 after forward(x), backward(t)",
                 rtol=GRADIENT_RTOL, atol=GRADIENT_ATOL, mistakes=[
                     (_mistake(mistakes, "ct_sigmoid_derivative"),
                      _model(W1, W2, x, t, derivative="z")[1]),
                     (_mistake(mistakes, "ct_update_before_grad"),
                      _model(W1, W2, x, t, early_lr=lr)[1]),
                     (_mistake(mistakes, "ct_no_batch_mean"), g_W1 * len(x)),
                     (_mistake(mistakes, "ct_threshold_sign"),
                      _model(W1, W2, x, t, sign=1.0)[1]),
                     (_mistake(mistakes, "ct_softmax_whole_array"),
                      _model(W1, W2, x, t, softmax="whole")[1])])


def test_backward_update(student):
    """W <- W - lr g_W, with the student's own g_W (so this is checked on its own)."""
    ct = student("ct_classifier")
    W1, W2 = _weights(16)
    x, t = _batch(17)
    lr = 0.7
    net = _backward(ct, W1, W2, x, t, lr=lr)
    for name, before in (("W2", W2), ("W1", W1)):
        gradient = as_array(getattr(net, f"g_{name}"), f"CTNet.g_{name}")
        expect(gradient.shape == before.shape,
               f"CTNet.g_{name} の形が {gradient.shape} です (期待 {before.shape})。",
               f"CTNet.g_{name} has shape {gradient.shape} (expected {before.shape}).")
        expect_array(getattr(net, name), before - lr * gradient,
                     f"CTNet.{name} after backward ({name} - lr g_{name}, lr = {lr})",
                     rtol=1e-7)


def test_gradient_check(student, reference, mistakes):
    """Analytic gradients against central differences of your own forward (47 weights)."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(18)
    x, t = _batch(19, n=4)
    net = _backward(ct, W1, W2, x, t, lr=0.0)
    analytic = {name: as_array(getattr(net, f"g_{name}"), f"CTNet.g_{name}")
                for name in SHAPES}
    base = {"W1": W1, "W2": W2}
    net.W1, net.W2 = W1.copy(), W2.copy()

    def error():
        y = as_array(net.forward(x.copy()), "CTNet.forward(x)")
        expect(y.shape == t.shape, f"CTNet.forward(x) の形が {y.shape} です (期待 {t.shape})。",
               f"CTNet.forward(x) has shape {y.shape} (expected {t.shape}).")
        return ref.cross_entropy(y, t)

    h = 1e-5
    numerical = {}
    for name, weights in base.items():
        grad = np.zeros_like(weights)
        for index in np.ndindex(weights.shape):
            shifted = weights.copy()
            shifted[index] += h
            setattr(net, name, shifted.copy())
            plus = error()
            shifted[index] -= 2 * h
            setattr(net, name, shifted.copy())
            grad[index] = (plus - error()) / (2 * h)
        setattr(net, name, weights.copy())
        numerical[name] = grad
    # What (y - t) / N style code gives with each mistake, to name it.
    sigmoid_as_derivative = _model(W1, W2, x, t, derivative="z")
    whole_array_softmax = _model(W1, W2, x, t, softmax="whole")
    for name, slot in (("W2", 2), ("W1", 1)):
        expect_array(analytic[name], numerical[name],
                     f"CTNet.g_{name} against the numerical gradient of E(your forward(x), t)",
                     rtol=GRADIENT_RTOL, atol=1e-7, mistakes=[
                         (_mistake(mistakes, "ct_no_batch_mean"), numerical[name] * len(x)),
                         (_mistake(mistakes, "ct_sigmoid_derivative"),
                          sigmoid_as_derivative[slot]),
                         (_mistake(mistakes, "ct_softmax_whole_array"),
                          whole_array_softmax[slot])])


# ----------------------------------------------------------------------------- using the net


def test_predict_accuracy(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(20)
    x, t = _batch(21, n=8)
    ref_net = _net(ref, W1, W2, 1.0)
    net = _net(ct, W1, W2, 1.0)
    expect_array(net.predict(x.copy()), ref_net.predict(x),
                 "CTNet.predict(x) (labels 0 = C, 1 = T)", rtol=0, atol=0,
                 mistakes=[(_mistake(mistakes, "ct_threshold_sign"),
                            np.argmax(_model(W1, W2, x, t, sign=1.0)[0], axis=1))])
    expect_number(net.accuracy(x.copy(), t.copy()), ref_net.accuracy(x, t),
                  "CTNet.accuracy(x, t)", rtol=1e-12)


def test_train(student, reference, artifacts):
    """train(): the losses before each update, 30 full-batch iterations on ct_train."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    x, t = ref.load_data("ct_train")
    W1, W2 = _weights(22, scale=0.5)
    iterations = 30
    expected = _net(ref, W1, W2, 1.0).train(x, t, iterations)
    losses = _net(ct, W1, W2, 1.0).train(x.copy(), t.copy(), iterations)
    expect_length(losses, iterations, f"CTNet.train(x, t, {iterations}) (losses)")
    values = as_array(losses, f"CTNet.train(x, t, {iterations}) (losses)")
    if _close(values, expected, rtol=1e-4):
        return
    # The loop may be right with the student's own forward, backward and cross_entropy.
    net = _net(ct, W1, W2, 1.0)
    own = {"reference cross_entropy": [], "your cross_entropy": []}
    for _ in range(iterations):
        y = as_array(net.forward(x.copy()), "CTNet.forward(x)")
        own["reference cross_entropy"].append(ref.cross_entropy(y, t))
        own["your cross_entropy"].append(as_number(ct.cross_entropy(y.copy(), t.copy()),
                                                   "cross_entropy(y, t)"))
        net.backward(t.copy())
    if any(_close(values, curve, rtol=1e-7) for curve in own.values()):
        artifacts.note("train", "own_components", {
            "ja": "train の繰り返し自体は正しく、あなたの forward・backward・cross_entropy で"
                  "計算した誤差と一致しました (それぞれの誤りは別のテストで採点しています)。",
            "en": "The train loop itself is right: its losses match your own forward, "
                  "backward and cross_entropy (their mistakes are graded by their own "
                  "tests)."})
        return
    expect_array(values, expected, f"CTNet.train(x, t, {iterations}) losses (before each "
                 "update)", rtol=1e-4)


def test_training_end_to_end(student, reference, artifacts):
    """Your network learns C and T: 100 iterations on ct_train, accuracy on ct_test."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    x, t = ref.load_data("ct_train")
    x_test, t_test = ref.load_data("ct_test")
    W1, W2 = _weights(24)
    blocks, block = 20, 5  # accuracy on ct_test after every 5 iterations
    runs = {}
    for label, module in (("student", ct), ("reference", ref)):
        net = _net(module, W1, W2, 1.0)
        losses, accuracies = [], []
        for _ in range(blocks):
            step = np.asarray(net.train(x.copy(), t.copy(), block), dtype=float).reshape(-1)
            losses += (step.tolist() + [float("nan")] * block)[:block]
            y = np.asarray(net.forward(x_test.copy()), dtype=float)
            accuracies.append(float(np.mean(np.argmax(y, axis=1) == np.argmax(t_test, axis=1)))
                              if y.shape == t_test.shape else 0.0)
        runs[label] = (losses, accuracies)
    artifacts.curve("training_loss", {label: run[0] for label, run in runs.items()},
                    title={"ja": "学習曲線 (訓練データの交差エントロピー誤差)",
                           "en": "Training curve (cross-entropy on ct_train)"},
                    ylabel="E")
    artifacts.curve("test_accuracy", {label: run[1] for label, run in runs.items()},
                    title={"ja": "テストデータ (2 画素ノイズ) の正解率 (5 回ごと)",
                           "en": "Accuracy on ct_test (two flipped pixels), every 5 iterations"},
                    xlabel=f"iteration / {block}", ylabel="accuracy")
    losses, accuracies = runs["student"]
    iterations = blocks * block
    expect(bool(np.all(np.isfinite(losses))) and losses[-1] <= 0.1,
           f"{iterations} 回の学習後の誤差が {losses[-1]:.4g} です (0.1 以下になるはず; "
           f"最初は {losses[0]:.4g})。",
           f"After {iterations} iterations the loss is {losses[-1]:.4g} (it should reach "
           f"0.1 or less; it started at {losses[0]:.4g}).")
    expect(accuracies[-1] >= 0.95,
           f"学習後のテストデータの正解率が {accuracies[-1]:.3f} です (0.95 以上になるはず)。",
           f"After training the accuracy on ct_test is {accuracies[-1]:.3f} "
           "(it should be 0.95 or more).")
