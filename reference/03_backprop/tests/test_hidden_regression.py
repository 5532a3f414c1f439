"""Hidden tests: scripts/regression.py (002 「[演習] 2層NNを学習するクラスの実装」, notebook
2_11: a two-layer network for a simple regression problem).

The network's parameters are set by the test. One root cause costs once:

* ``predict`` against the identity output of Affine, a Relu, Sigmoid or Tanh hidden
  layer, Affine (reference) or the student's own layers wired that way (a mistake in a
  layer counts in that layer's tests); the hidden activation used is noted;
* ``loss`` from the student's own ``predict`` output: any MeanSquaredError the slides
  show (½Σ, ½(1/N)Σ, (1/N)Σ, np.mean) or the student's own MeanSquaredError layer;
* ``gradient`` against the reference, the student's own layers wired right, or the
  numerical gradient of the student's own ``loss`` (or N times it: with deck 004's
  MeanSquaredError, backward gives each sample's derivative and the Affine layers sum);
* ``fit`` with the network's gradient and loss supplied by the test (the reference
  network at the parameters fit should have reached); the update is the step of deck
  003 (``params -= learning_rate * grad``) or its mean over the batch (004), recognised
  from one probing update;
* ``plot_fit`` with data and a curve the test supplies; the figure is collected.
"""

import functools
import math

import numpy as np

from checks import (GRADIENT_NAMES, Mistake, as_array, as_number, attempt, backward_dx,
                    expect, expect_array, expect_gradients, expect_length, expect_number,
                    expect_png, find_attribute, label, numerical_gradient,
                    relative_error, resolve)

SIZES = (3, 6, 2)
N = 7
KEYS = ("W1", "b1", "W2", "b2")
ACTIVATIONS = ("Relu", "Sigmoid", "Tanh")
SMOOTH = 1e-7
FIGURE = "regression_fit.png"
# fit: a probing update, then ITERATIONS updates on the course's data
HIDDEN, ITERATIONS, BATCH, RATE = 10, 60, 10, 0.005


def _params(seed, scale=0.8):
    rng = np.random.default_rng(seed)
    i, h, o = SIZES
    return {"W1": scale * rng.standard_normal((i, h)), "b1": 0.3 * rng.standard_normal(h),
            "W2": scale * rng.standard_normal((h, o)), "b2": 0.3 * rng.standard_normal(o)}


def _batch(seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, SIZES[0])), rng.standard_normal((N, SIZES[2]))


def _student_net(student, params, sizes=SIZES, artifacts=None):
    cls, _ = resolve(student("regression"), "RegressionNet", "regression.py",
                     artifacts=artifacts)
    net = cls(*sizes, 0.5, np.random.default_rng(0))
    for key in KEYS:
        student.assign(net, ["params", key], params[key].copy())
    return net


def _reference_net(reference, params, activation="Relu", sizes=SIZES):
    net = reference("regression").RegressionNet(*sizes, 0.5, np.random.default_rng(0))
    for key in KEYS:
        net.params[key][...] = params[key]
    if activation != "Relu":
        net.layers["Relu1"] = getattr(reference("layers"), activation)()
    return net


def _same(value, expected, tolerance=SMOOTH):
    value = np.asarray(value, dtype=float)
    return value.shape == np.shape(expected) and bool(np.all(np.isfinite(value))) and \
        relative_error(value, expected) <= tolerance


class _OwnLayers:
    """The student's own Affine, activation, Affine and MeanSquaredError, wired as the
    slides wire them and driven from here."""

    def __init__(self, student, params, activation):
        layers = student("layers")
        affine = resolve(layers, "Affine", "layers.py")[0]
        self.chain = [affine(params["W1"].copy(), params["b1"].copy()),
                      resolve(layers, activation, "layers.py")[0](),
                      affine(params["W2"].copy(), params["b2"].copy())]
        self.last = resolve(layers, "MeanSquaredError", "layers.py")[0]()

    def output(self, x):
        value = x.copy()
        for layer in self.chain:
            value = layer.forward(value)
        return as_array(value, "forward")

    def gradients(self, x, t):
        self.last.forward(self.output(x), t.copy())
        upstream = backward_dx(self.last.backward(), "backward")
        for layer in reversed(self.chain):
            upstream = backward_dx(layer.backward(upstream), "backward")
        first, second = self.chain[0], self.chain[2]
        return {"W1": as_array(find_attribute(first, GRADIENT_NAMES["dW"], "dW")[0], "W1"),
                "b1": as_array(find_attribute(first, GRADIENT_NAMES["db"], "db")[0], "b1"),
                "W2": as_array(find_attribute(second, GRADIENT_NAMES["dW"], "dW")[0], "W2"),
                "b2": as_array(find_attribute(second, GRADIENT_NAMES["db"], "db")[0], "b2")}


def _own(student, params, activation, method, *args):
    try:
        return getattr(_OwnLayers(student, params, activation), method)(*args)
    except Exception:  # noqa: BLE001 - only used to accept more
        return None


def _student_output(net, reference, params, x):
    """The student's own predict(x), else the reference's (Relu)."""
    value, error = attempt(net.predict, x.copy())
    if error is None:
        try:
            value = as_array(value, "predict")
            if value.shape == (len(x), SIZES[2]):
                return value
        except AssertionError:
            pass
    return _reference_net(reference, params).predict(x.copy())


# ------------------------------------------------------------------ RegressionNet


def test_regression_predict(student, reference, artifacts, mistakes):
    """params of the right shapes (W scaled by weight_init_std); predict(x): the identity
    output with a Relu, Sigmoid or Tanh hidden layer."""
    cls, _ = resolve(student("regression"), "RegressionNet", "regression.py",
                     artifacts=artifacts)
    made = cls(10, 30, 5, 0.2, np.random.default_rng(0)).params
    shapes = {"W1": (10, 30), "b1": (30,), "W2": (30, 5), "b2": (5,)}
    expect(isinstance(made, dict) and sorted(made) == sorted(KEYS),
           f"params のキーは {list(KEYS)} にしてください。",
           f"params must have the keys {list(KEYS)}.")
    for key, shape in shapes.items():
        value = np.asarray(made[key], dtype=float)
        expect(value.shape == shape and bool(np.all(np.isfinite(value))),
               f"params['{key}'] の形が {value.shape} です (期待 {shape}、有限の値)。",
               f"params['{key}'] has shape {value.shape} (expected {shape}, finite values).")
    for key in ("W1", "W2"):
        spread = float(np.std(made[key]))
        expect(0.8 * 0.2 < spread < 1.2 * 0.2,
               f"params['{key}'] の標準偏差が {spread:.3g} です。weight_init_std * "
               "rng.standard_normal(...) なら約 0.2 です。",
               f"params['{key}'] has standard deviation {spread:.3g}; weight_init_std * "
               "rng.standard_normal(...) gives about 0.2.")
    params = _params(31)
    x, _ = _batch(32)
    output = as_array(_student_net(student, params).predict(x.copy()),
                      "RegressionNet.predict(x)")
    for activation in ACTIVATIONS:
        if _same(output, _reference_net(reference, params, activation).predict(x.copy())) or \
                _same(output, _own(student, params, activation, "output", x)):
            if activation != "Relu":   # the skeleton's; others are accepted and noted
                artifacts.note("regression_activation", activation, {
                    "ja": f"回帰のネットワークの隠れ層を {activation} と認識しました (正解です)。",
                    "en": f"Recognised the regression network's hidden layer as {activation} "
                          "(accepted)."})
            return
    layers = reference("layers")
    outputs = [_reference_net(reference, params, a).predict(x.copy()) for a in ACTIVATIONS]
    squashed = [np.maximum(outputs[0], 0), layers.sigmoid(outputs[1]), np.tanh(outputs[2])]
    expect_array(output, outputs[0], label(
        "RegressionNet.predict(x) (出力層は恒等関数、隠れ層は Relu、Sigmoid、Tanh のどれか)",
        "RegressionNet.predict(x) (an identity output; a Relu, Sigmoid or Tanh hidden "
        "layer)"), rtol=SMOOTH,
        mistakes=[(Mistake.from_catalogue(mistakes, "regression_output_activation"), value)
                  for value in squashed])


def _mse_forms(y, t):
    """½Σ, ½(1/N)Σ, (1/N)Σ, np.mean of (y - t)^2 (the conventions mse_loss accepts)."""
    total = float(np.sum((y - t) ** 2))
    return [0.5 * total, 0.5 * total / len(y), total / len(y), total / y.size]


def test_regression_loss(student, reference):
    """loss(x, t): the MeanSquaredError of the student's own predict output (any form the
    slides show), or what the student's own MeanSquaredError layer gives."""
    params = _params(33)
    x, t = _batch(34)
    net = _student_net(student, params)
    output = _student_output(net, reference, params, x)
    value = as_number(net.loss(x.copy(), t.copy()), "RegressionNet.loss(x, t)")
    accepted = _mse_forms(output, t)
    try:
        layer = resolve(student("layers"), "MeanSquaredError", "layers.py")[0]()
        accepted.append(as_number(layer.forward(output.copy(), t.copy()), "loss"))
    except Exception:  # noqa: BLE001 - only used to accept more (its own tests judge it)
        pass
    if not any(math.isclose(value, a, rel_tol=SMOOTH) for a in accepted):
        expect_number(value, accepted[2], label(
            "RegressionNet.loss(x, t) (predict の出力の MeanSquaredError)",
            "RegressionNet.loss(x, t) (the MeanSquaredError of predict's output)"),
            rtol=SMOOTH, batch=N)


def test_regression_gradient(student, reference):
    """gradient(x, t): back-propagation through the student's MeanSquaredError layer."""
    params = _params(35)
    x, t = _batch(36)
    net = _student_net(student, params)
    result = net.gradient(x.copy(), t.copy())
    expect(isinstance(result, dict) and all(key in result for key in KEYS),
           "RegressionNet.gradient は W1, b1, W2, b2 をキーとする dict を返す必要があります。",
           "RegressionNet.gradient must return a dict with the keys W1, b1, W2, b2.")
    for activation in ACTIVATIONS:
        expected = _reference_net(reference, params, activation).gradient(x.copy(), t.copy())
        if all(_same(result[key], expected[key]) for key in KEYS):
            return
        own = _own(student, params, activation, "gradients", x, t)
        if own is not None and all(_same(result[key], own[key], 1e-6) for key in KEYS):
            return  # the student's own layers, wired right: their own tests judge them
    numerical = {}
    for key in KEYS:
        def loss_at(value, key=key):
            student.assign(net, ["params", key], value)
            return as_number(net.loss(x.copy(), t.copy()), "RegressionNet.loss(x, t)")

        numerical[key] = numerical_gradient(loss_at, params[key])
        student.assign(net, ["params", key], params[key].copy())
    summed = {key: N * value for key, value in numerical.items()}  # 004: each sample's own
    agreeing = [sum(_same(result[key], g[key], 1e-5) for key in KEYS)
                for g in (numerical, summed)]
    if max(agreeing) == len(KEYS):
        return
    expect_gradients(result, summed if agreeing[1] > agreeing[0] else numerical, label(
        "RegressionNet.gradient(x, t) と自分の loss の数値微分",
        "RegressionNet.gradient(x, t) against the numerical gradient of your loss"),
        max_error=1e-5, batch=N)


# ------------------------------------------------------------------ fit


class _Mirror:
    """The reference network at the parameters fit should have reached; its gradient and
    loss are handed to the student's fit as the network's. ``mode`` is the update the
    student's fit makes ("sum": params -= RATE * grad, "mean": divided by BATCH); None
    for the probe (one update, read back from params)."""

    def __init__(self, reference, start, x, mode):
        self.net = _reference_net(reference, start, sizes=(1, HIDDEN, 1))
        self.data = np.ravel(x).copy()   # the course's x: one column
        self.mode, self.pending, self.first = mode, None, None
        self.gradients, self.batches_ok, self.full_batch = 0, True, False
        self.losses = []

    def settle(self):
        if self.pending is not None and self.mode is not None:
            scale = RATE / (BATCH if self.mode == "mean" else 1)
            for key in KEYS:
                self.net.params[key] -= scale * self.pending[key]
            self.pending = None

    def gradient(self, x, t):
        self.settle()
        x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        self.full_batch = self.full_batch or len(x) == self.data.size
        self.batches_ok = self.batches_ok and x.shape == (BATCH, 1) and bool(
            np.isin(x.ravel(), self.data).all())
        self.gradients += 1
        self.pending = {key: np.array(v) for key, v in self.net.gradient(x, t).items()}
        self.first = self.first or self.pending
        return {key: value.copy() for key, value in self.pending.items()}

    def loss(self, x, t):
        self.settle()
        value = float(self.net.loss(np.asarray(x, dtype=float), np.asarray(t, dtype=float)))
        self.losses.append(value)
        return value


def _start():
    rng = np.random.default_rng(2027)
    return {"W1": 0.5 * rng.standard_normal((1, HIDDEN)), "b1": np.zeros(HIDDEN),
            "W2": 0.5 * rng.standard_normal((HIDDEN, 1)), "b2": np.zeros(1)}


def _run_fit(student, reference, net, start, x, t, mode, iterations, seed):
    for key in KEYS:
        student.assign(net, ["params", key], start[key].copy())
    mirror = _Mirror(reference, start, x, mode)
    for name in ("gradient", "loss"):
        student.assign(net, [name], getattr(mirror, name))
    losses = student("regression").fit(net, x.copy(), t.copy(), iterations, BATCH, RATE,
                                       np.random.default_rng(seed))
    mirror.settle()
    return mirror, losses


def _batches_ok(mirror, mistakes, calls):
    expect(mirror.gradients == calls and mirror.batches_ok,
           f"net.gradient は 1 回の反復につき 1 回、x から選んだ {BATCH} 行のミニバッチで"
           f"呼んでください ({mirror.gradients} 回呼ばれました)。",
           f"Call net.gradient once per iteration with a mini-batch of {BATCH} rows taken "
           f"from x (it was called {mirror.gradients} times).",
           Mistake.from_catalogue(mistakes, "fit_full_batch") if mirror.full_batch else None)


def _linked(student, net, final, x):
    """False when the layers no longer use the arrays in params (None: cannot tell)."""
    try:
        trained = as_array(net.predict(x.copy()), "predict")
        fresh = _student_net(student, final, sizes=(1, HIDDEN, 1))
        again = as_array(fresh.predict(x.copy()), "predict")
    except Exception:  # noqa: BLE001 - predict is judged by its own tests
        return None
    return trained.shape != again.shape or bool(np.allclose(trained, again))


def test_regression_fit(student, reference, mistakes, artifacts, conventions):
    """fit(...) makes the SGD updates in place on mini-batches, returns the losses net.loss
    gave, and the loss goes down."""
    x, t = reference("regression").load_regression_data()
    start = _start()
    net = _student_net(student, start, sizes=(1, HIDDEN, 1))
    probe, _ = _run_fit(student, reference, net, start, x, t, None, 1, 6)
    _batches_ok(probe, mistakes, 1)
    change = {key: as_array(net.params[key], f"net.params['{key}']") - start[key]
              for key in KEYS}
    steps = {"sum": RATE, "mean": RATE / BATCH}   # 003's update, or 004's mean at the update
    mode = next((name for name, step in steps.items() if all(
        np.allclose(change[key], -step * probe.first[key], rtol=1e-9, atol=1e-12)
        for key in KEYS)), None)
    if mode is None:
        for key in KEYS:
            expect_array(change[key], -RATE * probe.first[key], label(
                f"1 回の更新での net.params['{key}'] の変化 "
                "(params[key] -= learning_rate * grad[key])",
                f"The change of net.params['{key}'] in one update "
                "(params[key] -= learning_rate * grad[key])"), rtol=1e-9, atol=1e-12)
        expect(False, "1 回の更新で、パラメータによって更新の大きさが違います。",
               "One update changes the parameters by steps of different sizes.")
    conventions.recognised("fit_update", mode)
    initial = float(_reference_net(reference, start, sizes=(1, HIDDEN, 1)).loss(x, t))
    mirror, losses = _run_fit(student, reference, net, start, x, t, mode, ITERATIONS, 7)
    _batches_ok(mirror, mistakes, ITERATIONS)
    final = {key: as_array(net.params[key], f"net.params['{key}']") for key in KEYS}
    for key in KEYS:
        expect_array(final[key] - start[key], mirror.net.params[key] - start[key], label(
            f"fit の後の net.params['{key}'] の変化", f"The change of net.params['{key}'] "
            "made by fit"), rtol=1e-9, atol=1e-12)
    expect(_linked(student, net, final, x[:20]) is not False,
           "学習後、params の値と各レイヤが使う重みが一致していません。更新を "
           "params[key] = ... で書くと新しい配列になり、Affine レイヤは古い配列を"
           "使い続けます。",
           "After training, params and the weights the layers use differ. Updating with "
           "params[key] = ... makes a new array; the Affine layers keep the old one.",
           Mistake.from_catalogue(mistakes, "sgd_params_unlinked"))
    expect_length(losses, ITERATIONS, "fit(...) (loss_list)")
    values = as_array(losses, "fit(...) (loss_list)").ravel()
    artifacts.curve("regression_loss", {"student": values.tolist()},
                    title={"ja": "回帰: 学習中の損失 (ミニバッチ)",
                           "en": "Regression: training loss (mini-batches)"}, ylabel="loss")
    if len(mirror.losses) == ITERATIONS:
        expect_array(values, mirror.losses, label("loss_list (net.loss が返した値)",
                                                  "loss_list (what net.loss returned)"),
                     rtol=1e-9)
    reached = float(mirror.net.loss(x, t))
    expect(reached < initial,
           f"{ITERATIONS} 回の更新の後、全データの損失が小さくなっていません。",
           f"After {ITERATIONS} updates the loss on all the data has not gone down.")


# ------------------------------------------------------------------ the figure


def _fitted(reference):
    """The data, a curve of the reference network trained on it, and its losses (made once
    per judge process: the same for every student)."""
    return _fitted_by(reference("regression"))


@functools.lru_cache(maxsize=2)
def _fitted_by(module):
    x, t = module.load_regression_data()
    net = module.RegressionNet(1, 20, 1, rng=np.random.default_rng(0))
    losses = [float(v) for v in module.fit(net, x, t, rng=np.random.default_rng(1))]
    line = np.linspace(x.min(), x.max(), 200).reshape(-1, 1)
    return x, t, line, net.predict(line), losses


def test_regression_figure(student, reference, artifacts, mistakes):
    """plot_fit(x, t, x_line, y_line, losses) saves outputs/regression_fit.png."""
    x, t, line, curve, losses = _fitted(reference)
    student("regression").plot_fit(x.copy(), t.copy(), line.copy(), curve.copy(), list(losses))
    png = student.read_output(FIGURE)
    expect(png is not None,
           f"plot_fit が outputs/{FIGURE} を保存していません。",
           f"plot_fit did not save outputs/{FIGURE}.",
           Mistake.from_catalogue(mistakes, "figure_not_saved"))
    expect_png(png, label(f"outputs/{FIGURE} (plot_fit の図)",
                          f"outputs/{FIGURE} (the figure of plot_fit)"))
    artifacts.image(FIGURE, png, title={
        "ja": "回帰: データと学習したネットワーク、損失の推移",
        "en": "Regression: the data, the trained network and the loss"})

