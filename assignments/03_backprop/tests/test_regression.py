"""公開テスト: scripts/regression.py / Public tests: the regression network, fit and the figure.

ネットワークは 2 入力、隠れ層 4、出力 1、バッチ 5 で、パラメータはテストが設定します。
隠れ層は Relu、Sigmoid、Tanh のどれでもよく、MeanSquaredError はスライドのどの書き方でも
かまいません (自分の layers.py をつないだ結果とも比べます)。fit はテストが用意したネットワーク
(一定の勾配を返す) で動かし、plot_fit はテストが用意したデータで図を描かせます。
A 2-4-1 network on a batch of 5, with parameters the test sets. A Relu, Sigmoid or Tanh
hidden layer and any MeanSquaredError the slides show are right (the result is also
compared with your own layers wired together). fit runs with a stand-in network that
returns a constant gradient; plot_fit draws data the test supplies.
"""

import numpy as np

from checks import (GRADIENT_NAMES, Mistake, as_array, as_number, backward_dx, expect,
                    expect_array, expect_gradients, expect_length, expect_number, expect_png,
                    find_attribute, label, numerical_gradient, relative_error, resolve)

KEYS = ("W1", "b1", "W2", "b2")
X = np.array([[0.5, -1.0], [1.5, 0.25], [-1.0, 1.0], [0.0, 0.5], [2.0, -0.5]])
T = np.array([[0.3], [-0.2], [0.9], [0.1], [-0.6]])
N = len(X)
ACTIVATIONS = {"Relu": lambda a: np.maximum(a, 0), "Sigmoid": lambda a: 1 / (1 + np.exp(-a)),
               "Tanh": np.tanh}
FIGURE = "regression_fit.png"


def _params():
    rng = np.random.default_rng(11)
    return {"W1": rng.standard_normal((2, 4)), "b1": 0.5 * rng.standard_normal(4),
            "W2": rng.standard_normal((4, 1)), "b2": 0.5 * rng.standard_normal(1)}


def _regression_net(student, params=None):
    cls, _ = resolve(student("regression"), "RegressionNet", "regression.py")
    net = cls(2, 4, 1, rng=np.random.default_rng(0))
    for key, value in (params or {}).items():
        student.assign(net, ["params", key], value.copy())
    return net


def _outputs(params):
    """The identity output with each hidden activation the test accepts."""
    return {name: act(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
            for name, act in ACTIVATIONS.items()}


def _mse_losses(y):
    """½Σ, ½(1/N)Σ, (1/N)Σ and np.mean of (y - T)^2: every way the slides write it."""
    total = float(np.sum((y - T) ** 2))
    return [0.5 * total, 0.5 * total / N, total / N, total / T.size]


def _wired(student, params, activation):
    """(output, gradients) of your own layers wired Affine, activation, Affine, MSE."""
    layers = student("layers")
    affine = resolve(layers, "Affine", "layers.py")[0]
    chain = [affine(params["W1"].copy(), params["b1"].copy()),
             resolve(layers, activation, "layers.py")[0](),
             affine(params["W2"].copy(), params["b2"].copy())]
    last = resolve(layers, "MeanSquaredError", "layers.py")[0]()
    value = X.copy()
    for layer in chain:
        value = layer.forward(value)
    output = as_array(value, "forward")
    last.forward(output.copy(), T.copy())
    d = backward_dx(last.backward(), "backward")
    for layer in reversed(chain):
        d = backward_dx(layer.backward(d), "backward")
    grads = {}
    for key, layer in (("1", chain[0]), ("2", chain[2])):
        grads["W" + key] = as_array(find_attribute(layer, GRADIENT_NAMES["dW"], "dW")[0], "dW")
        grads["b" + key] = as_array(find_attribute(layer, GRADIENT_NAMES["db"], "db")[0], "db")
    return output, grads, last


def _own(student, params):
    found = []
    for activation in ACTIVATIONS:
        try:
            found.append(_wired(student, params, activation))
        except Exception:  # noqa: BLE001 - only used to accept more
            continue
    return found


def _agrees(value, expected, tolerance=1e-6):
    """Same shape, finite, relative error within the tolerance."""
    try:
        return bool(np.isfinite(value).all()) and relative_error(value, expected) <= tolerance
    except (TypeError, ValueError):   # a different shape, or not numbers
        return False


def test_regression_net(student, mistakes):
    """params の形、predict (恒等出力)、loss、gradient / params, predict, loss, gradient."""
    net = _regression_net(student)
    shapes = {key: np.shape(value) for key, value in net.params.items()}
    expect(shapes == {"W1": (2, 4), "b1": (4,), "W2": (4, 1), "b2": (1,)},
           f"params の形が違います: {shapes}", f"params has the wrong shapes: {shapes}")
    params = _params()
    net = _regression_net(student, params)
    own = _own(student, params)
    output = as_array(net.predict(X.copy()), "RegressionNet.predict(x)")
    accepted = list(_outputs(params).values()) + [found[0] for found in own]
    if not any(_agrees(output, value, 1e-7) for value in accepted):
        expect_array(output, accepted[0], label(
            "RegressionNet.predict(x) (出力層は恒等関数)",
            "RegressionNet.predict(x) (an identity output)"),
            mistakes=[(Mistake.from_catalogue(mistakes, "regression_output_activation"),
                       act(value)) for act, value in zip(ACTIVATIONS.values(),
                                                         _outputs(params).values())])

    loss = as_number(net.loss(X.copy(), T.copy()), "RegressionNet.loss(x, t)")
    accepted = _mse_losses(output)
    for found in own:
        try:
            accepted.append(as_number(found[2].forward(output.copy(), T.copy()), "loss"))
        except Exception:  # noqa: BLE001
            pass
    if not any(np.isclose(loss, a, rtol=1e-9, atol=0) for a in accepted):
        expect_number(loss, accepted[2], label(
            "RegressionNet.loss(x, t) (MeanSquaredError の損失)",
            "RegressionNet.loss(x, t) (the MeanSquaredError loss)"), batch=N)

    grads = net.gradient(X.copy(), T.copy())
    expect(isinstance(grads, dict) and all(key in grads for key in KEYS),
           "gradient は W1, b1, W2, b2 をキーとする dict を返す必要があります。",
           "gradient must return a dict with the keys W1, b1, W2, b2.")
    if any(all(_agrees(grads[key], found[1][key]) for key in KEYS) for found in own):
        return  # your own layers wired right: their own tests judge them

    def loss_at(key):
        def f(value):
            student.assign(net, ["params", key], value)
            return as_number(net.loss(X.copy(), T.copy()), "RegressionNet.loss(x, t)")
        return f

    numerical = {}
    for key in KEYS:
        numerical[key] = numerical_gradient(loss_at(key), params[key])
        student.assign(net, ["params", key], params[key].copy())
    # the gradient of your loss, or N times it (004: each sample's derivative, summed)
    scaled = {key: N * value for key, value in numerical.items()}
    agree = [sum(_agrees(grads[key], g[key], 1e-5) for key in KEYS) for g in (numerical, scaled)]
    if max(agree) < len(KEYS):
        expect_gradients(grads, scaled if agree[1] > agree[0] else numerical, label(
            "RegressionNet.gradient(x, t) と自分の loss の数値微分",
            "RegressionNet.gradient(x, t) against the numerical gradient of your loss"),
            max_error=1e-5, batch=N)


class _ConstantGradient:
    """A stand-in for the network's gradient and loss: the same gradient every time, so
    that the change of params after K updates is K learning-rate steps."""

    def __init__(self):
        rng = np.random.default_rng(12)
        self.grad = {"W1": rng.standard_normal((2, 4)), "b1": rng.standard_normal(4),
                     "W2": rng.standard_normal((4, 1)), "b2": rng.standard_normal(1)}
        self.batches, self.losses = [], []

    def gradient(self, x, t):
        self.batches.append((np.asarray(x, dtype=float), np.asarray(t, dtype=float)))
        return {key: value.copy() for key, value in self.grad.items()}

    def loss(self, x, t):
        self.losses.append(1.0 / (len(self.losses) + 1))
        return self.losses[-1]


def test_fit(student, mistakes):
    """ミニバッチ、params の更新 (その場で)、損失のリスト / mini-batches, updates, losses."""
    module = student("regression")
    params = _params()
    net = _regression_net(student, params)
    model = _ConstantGradient()
    for name in ("gradient", "loss"):
        student.assign(net, [name], getattr(model, name))
    iterations, batch, rate = 6, 3, 0.05
    losses = module.fit(net, X.copy(), T.copy(), iterations, batch, rate,
                        np.random.default_rng(1))
    expect(len(model.batches) == iterations and all(
        len(x) == batch and all(np.any(np.all(X == row, axis=1)) for row in x)
        for x, _ in model.batches),
        f"net.gradient は毎回 x から選んだ {batch} 行 (batch_size) で呼んでください。",
        f"Call net.gradient once per iteration with {batch} rows (batch_size) taken from x.",
        Mistake.from_catalogue(mistakes, "fit_full_batch")
        if any(len(x) == N for x, _ in model.batches) else None)
    expect_length(losses, iterations, "fit(...) (loss_list)")
    if len(model.losses) == iterations:
        expect_array(losses, model.losses, label("loss_list (net.loss の値)",
                                                 "loss_list (what net.loss returned)"))
    for key in KEYS:
        change = as_array(net.params[key], f"net.params['{key}']") - params[key]
        step = -iterations * rate * model.grad[key]
        if not np.allclose(change, step / batch, rtol=1e-9, atol=1e-12):  # 004: the mean
            expect_array(change, step, label(
                f"net.params['{key}'] の変化 (params[key] -= learning_rate * grad[key])",
                f"The change of net.params['{key}'] (params[key] -= learning_rate * "
                "grad[key])"))


def test_plot_fit(student, mistakes):
    """plot_fit が outputs/regression_fit.png を保存する / plot_fit saves the figure."""
    module = student("regression")
    student.remove_output(FIGURE)  # a figure from an earlier run does not count
    x = np.linspace(-3, 3, 30).reshape(-1, 1)
    line = np.linspace(-3, 3, 100).reshape(-1, 1)
    module.plot_fit(x, np.sin(x) + 0.1 * np.cos(7 * x), line, np.sin(line),
                    [1.0 / (i + 1) for i in range(50)])
    png = student.read_output(FIGURE)
    expect(png is not None, f"plot_fit が outputs/{FIGURE} を保存していません。",
           f"plot_fit did not save outputs/{FIGURE}.",
           Mistake.from_catalogue(mistakes, "figure_not_saved"))
    expect_png(png, label(f"outputs/{FIGURE} (plot_fit の図)",
                          f"outputs/{FIGURE} (the figure of plot_fit)"))
