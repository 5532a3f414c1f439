"""公開テスト: scripts/two_layer_net.py / Public tests: the network and gradient_check.

ネットワークは 3 入力、隠れ層 5、出力 4、バッチ 6 (どれも違う大きさ) で、パラメータはテストが
設定します。TwoLayerNet のテストは自分のレイヤ (layers.py) をつないだ結果とも比べるので、
レイヤの間違いはレイヤのテストだけで数えます。
A 3-5-4 network on a batch of 6, with parameters the test sets. The network's tests also
accept what your own layers (layers.py) give when wired as the slides wire them, so a
mistake in a layer counts only in that layer's test. predict may return the scores (002)
or the softmax probabilities (003 「学習アルゴリズムの実装」); loss is judged accordingly.
predict はスコア (002) でも softmax の確率 (003) でもよく、loss はそれに合わせて確かめます。
"""

import numpy as np

from checks import (GRADIENT_NAMES, Mistake, as_array, as_number, backward_dx,
                    call_keeping_arguments,
                    expect, expect_array, expect_gradients, expect_number, expect_relative,
                    find_attribute, label, numerical_gradient, resolve)
from studentops import coupled

KEYS = ("W1", "b1", "W2", "b2")
SIZES = (3, 5, 4)
X = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [-1.0, 1.0, 0.25], [0.0, 0.5, 1.0],
              [2.0, -0.5, -1.5], [0.25, 1.5, 0.5]])
LABELS = np.array([0, 3, 1, 2, 3, 1])
ONE_HOT = np.eye(4)[LABELS]


def _params():
    rng = np.random.default_rng(3)
    return {"W1": rng.standard_normal((3, 5)), "b1": 0.5 * rng.standard_normal(5),
            "W2": rng.standard_normal((5, 4)), "b2": 0.5 * rng.standard_normal(4)}


def _net(student, params):
    cls, _ = resolve(student("two_layer_net"), "TwoLayerNet", "two_layer_net.py")
    net = cls(*SIZES, rng=np.random.default_rng(0))
    for key, value in params.items():
        student.assign(net, ["params", key], value.copy())
    return net


def _slide_scores(params, x):
    """Scores with a Relu and with a Sigmoid hidden layer (both are accepted)."""
    a1 = x @ params["W1"] + params["b1"]
    return {"Relu": np.maximum(a1, 0) @ params["W2"] + params["b2"],
            "Sigmoid": 1 / (1 + np.exp(-a1)) @ params["W2"] + params["b2"]}


def _wired(layers, params, activation):
    """Your own layers wired as the slides wire them: Affine, activation, Affine, loss."""
    affine, _ = resolve(layers, "Affine", "layers.py")
    hidden, _ = resolve(layers, activation, "layers.py")
    last, _ = resolve(layers, "SoftmaxWithLoss", "layers.py")
    return [affine(params["W1"].copy(), params["b1"].copy()), hidden(),
            affine(params["W2"].copy(), params["b2"].copy()), last()]


def _own_result(layers, params, activation, t=None):
    """(scores, gradients) from your own layers, or None when they raise."""
    try:
        first, hidden, second, last = _wired(layers, params, activation)
        scores = second.forward(hidden.forward(first.forward(X.copy())))
        if t is None:
            return as_array(scores, "scores"), None
        last.forward(scores, t.copy())
        d = backward_dx(last.backward(), "backward")
        for layer in (second, hidden, first):
            d = backward_dx(layer.backward(d), "backward")
        grads = {}
        for key, layer in (("W1", first), ("W2", second)):
            grads[key] = as_array(find_attribute(layer, GRADIENT_NAMES["dW"], "dW")[0], key)
            grads["b" + key[1]] = as_array(find_attribute(layer, GRADIENT_NAMES["db"], "db")[0],
                                           key)
        return as_array(scores, "scores"), grads
    except Exception:  # noqa: BLE001 - only used to accept more
        return None


def _close(a, b, rtol=1e-7):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and np.allclose(a, b, rtol=rtol,
                                                                               atol=1e-10)


def _scores(student, net, params):
    """Your predict(X) (scores or probabilities), or the Relu scores when it raises."""
    try:
        return as_array(net.predict(X.copy()), "TwoLayerNet.predict(x)")
    except Exception:  # noqa: BLE001
        return _slide_scores(params, X)["Relu"]


def test_numerical_gradient(student, mistakes):
    """中心差分、x は元に戻す / central differences, x restored afterwards."""
    function, _ = resolve(student("two_layer_net"), "numerical_gradient", "two_layer_net.py")
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    grad = call_keeping_arguments(function, coupled, x.copy(), what=label(
        "numerical_gradient(f, x) (x は最後に元の値に戻すこと)",
        "numerical_gradient(f, x) (x must be restored)"))
    steps = 1e-4 * np.eye(x.size).reshape(x.size, *x.shape)
    forward = np.array([coupled(x + step) - coupled(x) for step in steps]).reshape(x.shape) / 1e-4
    expect_relative(grad, x ** 2 + x.sum(), label("numerical_gradient(f, x) (中心差分)",
                                                  "numerical_gradient(f, x) (central difference)"),
                    max_error=1e-6, mistakes=[
                        (Mistake.from_catalogue(mistakes, "numgrad_forward_difference"), forward)])


def test_two_layer_net_params(student):
    """形と、重みの大きさ (weight_init_std 倍) / shapes, and weights scaled by weight_init_std."""
    cls, _ = resolve(student("two_layer_net"), "TwoLayerNet", "two_layer_net.py")
    net = cls(64, 30, 10, weight_init_std=0.05, rng=np.random.default_rng(0))
    shapes = {key: np.shape(value) for key, value in net.params.items()}
    expect(shapes == {"W1": (64, 30), "b1": (30,), "W2": (30, 10), "b2": (10,)},
           f"params の形が違います: {shapes}", f"params has the wrong shapes: {shapes}")
    for key in ("W1", "W2"):
        spread = float(np.std(net.params[key]))
        expect(0.04 < spread < 0.06,
               f"params['{key}'] の標準偏差が {spread:.3g} です "
               "(weight_init_std=0.05 なら約 0.05)。",
               f"params['{key}'] has standard deviation {spread:.3g} (about 0.05 for "
               "weight_init_std=0.05).")


def _softmax_rows(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _is_probabilities(output):
    """True for predict outputs that are softmax probabilities (003's TwoLayerNet)."""
    output = np.asarray(output, dtype=float)
    return output.ndim == 2 and bool(np.all(output >= 0)) and np.allclose(
        output.sum(axis=1), 1.0, rtol=0, atol=1e-9)


def test_predict(student):
    """スコア (002) でも softmax の確率 (003) でもよい / scores (002) or probabilities (003)."""
    params = _params()
    scores = as_array(_net(student, params).predict(X.copy()), "TwoLayerNet.predict(x)")
    layers = student("layers")
    accepted = list(_slide_scores(params, X).values())
    for activation in ("Relu", "Sigmoid"):
        own = _own_result(layers, params, activation)
        if own is not None:
            accepted.append(own[0])
    accepted += [_softmax_rows(value) for value in accepted]
    if not any(_close(scores, value) for value in accepted):
        expect_array(scores, accepted[0], label(
            "TwoLayerNet.predict(x) (隠れ層は Relu か Sigmoid、出力はスコアか確率)",
            "TwoLayerNet.predict(x) (a Relu or Sigmoid hidden layer; scores or probabilities)"))


def test_loss(student, mistakes):
    """predict の結果から損失 / the loss of your own predict's output.

    predict がスコアなら SoftmaxWithLoss、確率 (003) なら cross_entropy_error。
    Scores go through SoftmaxWithLoss; probabilities (deck 003) through cross_entropy_error.
    """
    params = _params()
    net = _net(student, params)
    output = _scores(student, net, params)
    loss = as_number(net.loss(X.copy(), ONE_HOT.copy()), "TwoLayerNet.loss(x, t)")
    probabilities = _is_probabilities(output)
    picked = (output if probabilities else _softmax_rows(output))[np.arange(6), LABELS]
    # with the kit's + 1e-7 inside the log or without it (the slide's formula): both right
    accepted = [float(-np.mean(np.log(picked + 1e-7))), float(-np.mean(np.log(picked)))]
    try:  # your own SoftmaxWithLoss (or cross_entropy_error) counts in its own test
        layers = student("layers")
        if probabilities:
            own_cee, _ = resolve(layers, "cross_entropy_error", "layers.py")
            accepted.append(as_number(own_cee(output.copy(), ONE_HOT.copy()), "loss"))
        else:
            own_layer, _ = resolve(layers, "SoftmaxWithLoss", "layers.py")
            accepted.append(as_number(own_layer().forward(output.copy(), ONE_HOT.copy()),
                                      "loss"))
    except Exception:  # noqa: BLE001
        pass
    if not any(np.isclose(loss, a, rtol=1e-9, atol=0) for a in accepted):
        twice = _softmax_rows(output)[np.arange(6), LABELS] if probabilities else None
        candidates = [] if twice is None else [-np.mean(np.log(twice + 1e-7)),
                                               -np.mean(np.log(twice))]
        expect_number(loss, accepted[0], "TwoLayerNet.loss(x, t)", mistakes=[
            (Mistake.from_catalogue(mistakes, "loss_double_softmax"), value)
            for value in sorted(candidates, key=lambda v: abs(v - loss))[:1]])


def test_accuracy(student):
    """one-hot とラベルの t / one-hot and label targets."""
    params = _params()
    net = _net(student, params)
    predicted = np.argmax(_scores(student, net, params), axis=1)
    labels = predicted.copy()
    labels[[0, 3]] = (labels[[0, 3]] + 1) % 4   # 4 of the 6 are right
    for t, ja, en in ((np.eye(4)[labels], "one-hot", "one-hot"), (labels, "ラベル", "label")):
        expect_number(net.accuracy(X.copy(), t.copy()), 4 / 6,
                      label(f"TwoLayerNet.accuracy(x, t) ({ja} の t)",
                            f"TwoLayerNet.accuracy(x, t) ({en} t)"), rtol=1e-9)


def _own_loss_gradient(student, net, params, h):
    """The numerical gradient of your own net.loss, computed here (central differences)."""
    result = {}
    for key in KEYS:
        def loss_at(value, key=key):
            student.assign(net, ["params", key], value)
            return as_number(net.loss(X.copy(), ONE_HOT.copy()), "TwoLayerNet.loss(x, t)")

        result[key] = numerical_gradient(loss_at, params[key], h=h)
        student.assign(net, ["params", key], params[key].copy())
    return result


def test_net_numerical_gradient(student):
    """自分の loss の数値微分 (キーごと) / the numerical gradient of your own loss."""
    params = _params()
    net = _net(student, params)
    expected = _own_loss_gradient(student, net, params, 1e-4)
    result = net.numerical_gradient(X.copy(), ONE_HOT.copy())
    expect(isinstance(result, dict) and all(key in result for key in KEYS),
           "numerical_gradient は W1, b1, W2, b2 をキーとする dict を返す必要があります。",
           "numerical_gradient must return a dict with the keys W1, b1, W2, b2.")
    for key in KEYS:
        expect_relative(result[key], expected[key],
                        f"TwoLayerNet.numerical_gradient(x, t)['{key}']", max_error=1e-3)


def test_net_gradient(student):
    """誤差逆伝播法の勾配と自分の loss の数値微分 / backprop against your own loss."""
    params = _params()
    net = _net(student, params)
    result = net.gradient(X.copy(), ONE_HOT.copy())
    expect(isinstance(result, dict) and all(key in result for key in KEYS),
           "gradient は W1, b1, W2, b2 をキーとする dict を返す必要があります。",
           "gradient must return a dict with the keys W1, b1, W2, b2.")
    layers = student("layers")
    for activation in ("Relu", "Sigmoid"):
        own = _own_result(layers, params, activation, ONE_HOT)
        if own is not None and all(_close(result[key], own[1][key], 1e-6) for key in KEYS):
            return  # your layers, wired right: their own tests judge them
    expect_gradients(result, _own_loss_gradient(student, net, params, 1e-5),
                     label("TwoLayerNet.gradient(x, t) と自分の loss の数値微分",
                           "TwoLayerNet.gradient(x, t) against your own loss"),
                     max_error=1e-4, batch=6)


class _Fixed:
    """A stand-in network with fixed gradients: gradient_check alone is tested."""

    numerical = {"W1": np.array([[0.5, -1.0], [0.25, 0.0], [1.0, 2.0]]),
                 "b1": np.array([0.1, -0.2]), "W2": np.array([[1.0], [-1.0]]),
                 "b2": np.array([0.3])}
    backprop = {"W1": np.array([[0.5, -0.5], [0.0, 0.0], [1.0, 1.0]]),
                "b1": np.array([0.3, -0.2]), "W2": np.array([[2.0], [-1.0]]),
                "b2": np.array([-0.1])}

    def numerical_gradient(self, x, t):
        return {key: value.copy() for key, value in self.numerical.items()}

    def gradient(self, x, t):
        return {key: value.copy() for key, value in self.backprop.items()}


def test_gradient_check(student):
    """mean |backprop - numerical| (キーごと / per key)."""
    module = student("two_layer_net")
    net = _Fixed()
    result = module.gradient_check(net, np.zeros((2, 3)), np.eye(2))
    expect(isinstance(result, dict) and sorted(result) == ["W1", "W2", "b1", "b2"],
           "gradient_check は W1, b1, W2, b2 をキーとする dict を返す必要があります。",
           "gradient_check must return a dict with the keys W1, b1, W2, b2.")
    for key in KEYS:
        expected = float(np.mean(np.abs(net.backprop[key] - net.numerical[key])))
        value = as_number(result[key], f"gradient_check(...)['{key}']")
        expect(value >= 0,
               f"gradient_check の {key} が負です ({value:.3g})。差の絶対値の平均を返して"
               "ください (正負の差が打ち消し合わないように)。",
               f"gradient_check gives a negative value for {key} ({value:.3g}): return the "
               "mean of the absolute differences (so that signs do not cancel).")
        expect_number(value, expected,
                      label(f"gradient_check(...)['{key}'] (差の絶対値の平均)",
                            f"gradient_check(...)['{key}'] (mean absolute difference)"))
