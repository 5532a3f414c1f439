"""Hidden tests: scripts/two_layer_net.py (numerical gradient, TwoLayerNet, gradient_check).

The network's parameters are always set by the test (in place, with ``student.assign``,
so the book's link between ``params`` and the Affine layers stays intact); nothing
depends on the student's random draws.

One root cause costs once. Each test judges one method:

* ``predict`` against the reference with a Relu or a Sigmoid hidden layer (both are
  accepted: 002 uses Relu, 003's TwoLayerNet sigmoid; the one used is recognised), or
  against the student's own layers wired Affine, activation, Affine (a mistake inside a
  layer counts in that layer's tests); the output may be the scores (002) or their
  softmax probabilities (003 「学習アルゴリズムの実装」), recognised as ``predict_output``;
* ``loss`` and ``accuracy`` from the student's own ``predict`` output (for probabilities,
  the loss is their cross-entropy error, with no second softmax);
* ``numerical_gradient`` against the numerical gradient of the student's own ``loss``,
  loosely enough that a flaw of the module's ``numerical_gradient`` function (judged by
  its own test) does not count twice;
* ``gradient`` against the numerical gradient of the student's own ``loss``
  (self-consistency), the reference, or the student's own layers' backward;
* ``gradient_check`` with a stand-in network of fixed gradients.
"""

import math

import numpy as np

from checks import (GRADIENT_NAMES, Mistake, as_array, as_number, attempt, backward_dx,
                    call_keeping_arguments, expect, expect_array, expect_gradients,
                    expect_number, expect_relative, find_attribute, label,
                    numerical_gradient, relative_error, resolve)
from studentops import coupled

SMOOTH = 1e-7
WITH_LOG = 1e-4
NUMERICAL = 1e-3   # a numerical gradient by forward differences or with x not restored
SIZES = (5, 4, 3)          # input, hidden, output
N = 6
KEYS = ("W1", "b1", "W2", "b2")
ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid"}


def _params(seed, scale=0.8):
    rng = np.random.default_rng(seed)
    i, h, o = SIZES
    return {"W1": scale * rng.standard_normal((i, h)), "b1": 0.3 * rng.standard_normal(h),
            "W2": scale * rng.standard_normal((h, o)), "b2": 0.3 * rng.standard_normal(o)}


def _batch(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, SIZES[0]))
    labels = rng.integers(0, SIZES[2], N)
    return x, labels, np.eye(SIZES[2])[labels]


def _student_net(student, params, artifacts=None):
    module = student("two_layer_net")
    cls, _ = resolve(module, "TwoLayerNet", "two_layer_net.py", artifacts=artifacts)
    net = cls(*SIZES, 0.01, np.random.default_rng(0))
    for key in KEYS:
        student.assign(net, ["params", key], params[key].copy())
    return net


def _reference_net(reference, params, activation="relu"):
    net = reference("two_layer_net").TwoLayerNet(*SIZES, 0.01, np.random.default_rng(0))
    for key in KEYS:
        net.params[key][...] = params[key]
    if activation == "sigmoid":  # 003's TwoLayerNet: the same net with a sigmoid hidden layer
        net.layers["Relu1"] = reference("layers").Sigmoid()
    return net


def _gradient_dict(value, what):
    expect(isinstance(value, dict), f"{what} は dict を返す必要があります。",
           f"{what} must return a dict.")
    missing = [key for key in KEYS if key not in value]
    expect(not missing, f"{what} に {', '.join(missing)} がありません。",
           f"{what} lacks {', '.join(missing)}.")
    return value


def _same(value, expected, tolerance=SMOOTH):
    value = np.asarray(value, dtype=float)
    return value.shape == np.shape(expected) and bool(np.all(np.isfinite(value))) and \
        relative_error(value, expected) <= tolerance


class _OwnLayers:
    """The student's own layer classes, wired as the slides wire them (Affine, the
    activation, Affine, SoftmaxWithLoss) and driven from here. A network whose values
    equal these has its wiring right; the layers are judged by their own tests."""

    def __init__(self, student, params, activation):
        layers = student("layers")
        affine = resolve(layers, "Affine", "layers.py")[0]
        self.chain = [affine(params["W1"].copy(), params["b1"].copy()),
                      resolve(layers, ACTIVATIONS[activation], "layers.py")[0](),
                      affine(params["W2"].copy(), params["b2"].copy())]
        self.last = resolve(layers, "SoftmaxWithLoss", "layers.py")[0]()

    def scores(self, x):
        value = x.copy()
        for layer in self.chain:
            value = layer.forward(value)
        return as_array(value, "forward")

    def gradients(self, x, t):
        self.last.forward(self.scores(x), t.copy())
        upstream = backward_dx(self.last.backward(), "backward")
        for layer in reversed(self.chain):
            upstream = backward_dx(layer.backward(upstream), "backward")
        first, second = self.chain[0], self.chain[2]
        pairs = (("W1", first, "dW"), ("b1", first, "db"), ("W2", second, "dW"),
                 ("b2", second, "db"))
        return {key: as_array(find_attribute(layer, GRADIENT_NAMES[name], name)[0], key)
                for key, layer, name in pairs}


def _own(student, params, activation, method, *args):
    """``_OwnLayers(...).method(*args)``, or None when the student's layers raise."""
    try:
        return getattr(_OwnLayers(student, params, activation), method)(*args)
    except Exception:  # noqa: BLE001 - only used to accept more
        return None


def _own_loss_gradient(student, net, params, x, t, h):
    """The numerical gradient of the student's own net.loss (central differences here)."""
    result = {}
    for key in KEYS:
        def loss_at(value, key=key):
            student.assign(net, ["params", key], value)
            return as_number(net.loss(x.copy(), t.copy()), "TwoLayerNet.loss(x, t)")

        result[key] = numerical_gradient(loss_at, params[key], h=h)
        student.assign(net, ["params", key], params[key].copy())
    return result


# ------------------------------------------------------------------ numerical_gradient


def test_numerical_gradient_function(student, mistakes):
    """numerical_gradient(f, x) with h = 1e-4: central differences, x restored.

    f couples the elements (∂f/∂x_i = x_i^2 + Σ x), so an x left shifted changes every
    later partial derivative; the caller's x must be as it was afterwards.
    """
    module = student("two_layer_net")
    function, _ = resolve(module, "numerical_gradient", "two_layer_net.py")
    x = np.random.default_rng(1).standard_normal((3, 4))
    result = call_keeping_arguments(function, coupled, x.copy(), what=label(
        "numerical_gradient(f, x) (x は最後に元の値に戻すこと)",
        "numerical_gradient(f, x) (x must be restored afterwards)"))
    forward = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] += 1e-4
        forward[index] = (coupled(shifted) - coupled(x)) / 1e-4
    expect_relative(result, x ** 2 + x.sum(),
                    label("numerical_gradient(f, x) (中心差分)",
                          "numerical_gradient(f, x) (central difference)"), max_error=1e-6,
                    mistakes=[(Mistake.from_catalogue(mistakes, "numgrad_forward_difference"),
                               forward)])


# ------------------------------------------------------------------ TwoLayerNet


def test_net_init(student, artifacts):
    """params has W1 (64, 30), b1 (30,), W2 (30, 10), b2 (10,); W ~ weight_init_std N(0, 1)."""
    module = student("two_layer_net")
    cls, _ = resolve(module, "TwoLayerNet", "two_layer_net.py", artifacts=artifacts)
    net = cls(64, 30, 10, 0.05, np.random.default_rng(0))
    params = net.params
    expect(isinstance(params, dict), "params は dict である必要があります。",
           "params must be a dict.")
    expect(sorted(params) == sorted(KEYS),
           f"params のキーが {sorted(params)} です。{list(KEYS)} にしてください。",
           f"params has keys {sorted(params)}; it must have {list(KEYS)}.")
    shapes = {"W1": (64, 30), "b1": (30,), "W2": (30, 10), "b2": (10,)}
    for key, shape in shapes.items():
        value = np.asarray(params[key], dtype=float)
        expect(value.shape == shape and bool(np.all(np.isfinite(value))),
               f"params['{key}'] の形が {value.shape} です (期待 {shape}、有限の値)。",
               f"params['{key}'] has shape {value.shape} (expected {shape}, finite values).")
    for key in ("W1", "W2"):
        spread = float(np.std(params[key]))
        expect(0.8 * 0.05 < spread < 1.2 * 0.05,
               f"params['{key}'] の標準偏差が {spread:.3g} です。weight_init_std * "
               "rng.standard_normal(...) なら約 0.05 です。",
               f"params['{key}'] has standard deviation {spread:.3g}; weight_init_std * "
               "rng.standard_normal(...) gives about 0.05.")


def test_net_predict(student, reference, conventions):
    """predict(x): the scores (002) or their softmax probabilities (003's TwoLayerNet),
    with a Relu or a Sigmoid hidden layer (both recognised)."""
    params = _params(2)
    x, _, _ = _batch(3)
    output = as_array(_student_net(student, params).predict(x.copy()),
                      "TwoLayerNet.predict(x)")
    softmax = reference("layers").softmax
    for activation in ACTIVATIONS:
        candidates = [_reference_net(reference, params, activation).predict(x),
                      _own(student, params, activation, "scores", x)]
        for kind, transform in (("scores", None), ("probabilities", softmax)):
            if any(value is not None and _same(output, value if transform is None
                                               else transform(value))
                   for value in candidates):
                conventions.recognised("hidden_activation", activation)
                conventions.recognised("predict_output", kind)
                return
    expect_array(output, _reference_net(reference, params).predict(x),
                 label("TwoLayerNet.predict(x) (隠れ層が Relu でも Sigmoid でもなく、出力が"
                       "スコアでも確率でもない)",
                       "TwoLayerNet.predict(x) (neither a Relu nor a Sigmoid hidden layer, "
                       "neither scores nor probabilities)"), rtol=SMOOTH)


def _student_scores(net, reference, params, x):
    """The student's own predict(x) (scores or probabilities), else the reference's (Relu)
    scores."""
    scores, error = attempt(net.predict, x.copy())
    if error is None:
        try:
            return as_array(scores, "TwoLayerNet.predict(x)")
        except AssertionError:
            pass
    return _reference_net(reference, params).predict(x)


def _probabilities(output):
    """predict's output is softmax probabilities (003's TwoLayerNet), not scores (002)."""
    return output.ndim == 2 and bool(np.all(output >= 0)) and bool(
        np.allclose(output.sum(axis=1), 1.0, rtol=0, atol=1e-9))


def test_net_loss(student, reference, mistakes):
    """loss(x, t): SoftmaxWithLoss of the student's own predict output when it gives
    scores (002), cross_entropy_error of it when it gives probabilities (003)."""
    params = _params(4)
    x, labels, one_hot = _batch(5)
    net = _student_net(student, params)
    output = _student_scores(net, reference, params, x)
    value = as_number(net.loss(x.copy(), one_hot.copy()), "TwoLayerNet.loss(x, t)")
    softmax = reference("layers").softmax
    probabilities = _probabilities(output)

    def entropies(y):   # the kit's + 1e-7 inside the log, or the slide's formula without it
        picked = y[np.arange(N), labels]
        return [float(-np.mean(np.log(picked + 1e-7))), float(-np.mean(np.log(picked)))]

    accepted = entropies(output if probabilities else softmax(output))
    try:
        layers = student("layers")
        if probabilities:
            own = resolve(layers, "cross_entropy_error", "layers.py")[0](output.copy(),
                                                                         one_hot.copy())
        else:
            own = resolve(layers, "SoftmaxWithLoss", "layers.py")[0]().forward(
                output.copy(), one_hot.copy())
        accepted.append(as_number(own, "loss"))
    except Exception:  # noqa: BLE001 - only used to accept more (its own tests judge it)
        pass
    if not any(math.isclose(value, a, rel_tol=SMOOTH) for a in accepted):
        twice = [(Mistake.from_catalogue(mistakes, "loss_double_softmax"), v)   # the nearer
                 for v in sorted(entropies(softmax(output)), key=lambda v: abs(v - value))[:1]
                 ] if probabilities else []
        expect_number(value, accepted[0], "TwoLayerNet.loss(x, t)", rtol=SMOOTH, batch=N,
                      mistakes=twice)


def test_net_accuracy(student, reference):
    """accuracy(x, t) with one-hot t and with labels t, from the student's own predict."""
    params = _params(6)
    x, _, _ = _batch(7)
    net = _student_net(student, params)
    labels = np.argmax(_student_scores(net, reference, params, x), axis=1)
    labels[[1, 4]] = (labels[[1, 4]] + 1) % SIZES[2]      # 4 of the 6 are right
    for t, ja, en in ((np.eye(SIZES[2])[labels], "one-hot の t", "one-hot t"),
                      (labels, "ラベルの t", "label t")):
        expect_number(net.accuracy(x.copy(), t.copy()), 4 / 6,
                      label(f"TwoLayerNet.accuracy(x, t) ({ja})",
                            f"TwoLayerNet.accuracy(x, t) ({en})"), rtol=1e-9)


def test_net_numerical_gradient(student):
    """net.numerical_gradient(x, t) against the numerical gradient of the student's own
    net.loss(x, t), for every key."""
    params = _params(8)
    x, _, one_hot = _batch(9)
    net = _student_net(student, params)
    expected = _own_loss_gradient(student, net, params, x, one_hot, 1e-4)
    result = _gradient_dict(net.numerical_gradient(x.copy(), one_hot.copy()),
                            "TwoLayerNet.numerical_gradient(x, t)")
    for key in KEYS:
        expect_relative(result[key], expected[key],
                        f"TwoLayerNet.numerical_gradient(x, t)['{key}']", max_error=NUMERICAL,
                        batch=N)


def test_net_gradient(student, reference):
    """net.gradient(x, t): the numerical gradient of the student's own loss, or the
    reference's, or what the student's own layers give when wired right."""
    params = _params(10)
    x, _, one_hot = _batch(11)
    net = _student_net(student, params)
    result = _gradient_dict(net.gradient(x.copy(), one_hot.copy()),
                            "TwoLayerNet.gradient(x, t)")
    for activation in ACTIVATIONS:
        expected = _reference_net(reference, params, activation).gradient(x, one_hot)
        if all(_same(result[key], expected[key]) for key in KEYS):
            return
        own = _own(student, params, activation, "gradients", x, one_hot)
        if own is not None and all(_same(result[key], own[key], 1e-6) for key in KEYS):
            return
    expect_gradients(result, _own_loss_gradient(student, net, params, x, one_hot, 1e-5),
                     label("TwoLayerNet.gradient(x, t) と自分の loss の数値微分",
                           "TwoLayerNet.gradient(x, t) against the numerical gradient of your "
                           "loss"), max_error=WITH_LOG, batch=N)


# ------------------------------------------------------------------ gradient_check


class _FixedGradients:
    """A stand-in network with fixed gradients, so that gradient_check alone is graded.

    It offers only the two methods gradient_check needs (the book's gradient_check.py
    calls nothing else).
    """

    def __init__(self, seed):
        rng = np.random.default_rng(seed)
        shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,)}
        self.numerical = {key: rng.standard_normal(shape) for key, shape in shapes.items()}
        self.backprop = {key: value + 0.1 * rng.standard_normal(value.shape)
                         for key, value in self.numerical.items()}

    def numerical_gradient(self, x, t):
        return {key: value.copy() for key, value in self.numerical.items()}

    def gradient(self, x, t):
        return {key: value.copy() for key, value in self.backprop.items()}


def test_gradient_check_function(student, mistakes):
    module = student("two_layer_net")
    net = _FixedGradients(14)
    x, t = np.zeros((2, 3)), np.eye(2)
    result = _gradient_dict(module.gradient_check(net, x, t), "gradient_check(net, x, t)")
    for key in KEYS:
        difference = net.backprop[key] - net.numerical[key]
        expect_number(result[key], float(np.mean(np.abs(difference))),
                      label(f"gradient_check(net, x, t)['{key}'] (差の絶対値の平均)",
                            f"gradient_check(net, x, t)['{key}'] = mean |backprop - numerical|"),
                      rtol=1e-9, atol=0.0,
                      mistakes=[(Mistake.from_catalogue(mistakes, "gc_no_abs"),
                                 float(np.mean(difference)))])
