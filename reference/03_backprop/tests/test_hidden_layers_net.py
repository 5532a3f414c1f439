"""Hidden tests: scripts/two_layer_net.py (numerical gradient, TwoLayerNet, gradient_check).

The network's parameters are always set by the test (in place, with ``student.assign``,
so the book's link between ``params`` and the Affine layers stays intact); nothing
depends on the student's random draws. ``gradient`` is checked twice, as separate
criteria: against the reference, and against the numerical gradient of the student's
own ``loss``.
"""

import numpy as np

from checks import (Mistake, as_number, expect, expect_array, expect_number, expect_relative,
                    numerical_gradient, resolve)

SMOOTH = 1e-7
WITH_LOG = 1e-4
SIZES = (5, 4, 3)          # input, hidden, output
N = 6
KEYS = ("W1", "b1", "W2", "b2")


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


def _reference_net(reference, params):
    net = reference("two_layer_net").TwoLayerNet(*SIZES, 0.01, np.random.default_rng(0))
    for key in KEYS:
        net.params[key][...] = params[key]
    return net


def _gradient_dict(value, what):
    expect(isinstance(value, dict), f"{what} は dict を返す必要があります。",
           f"{what} must return a dict.")
    missing = [key for key in KEYS if key not in value]
    expect(not missing, f"{what} に {', '.join(missing)} がありません。",
           f"{what} lacks {', '.join(missing)}.")
    return value


def _manual(params, x, t, whole_array_softmax=False):
    """The gradient with its intermediate values, for the known mistakes.

    Returns ``(loss, {key: (layer input, upstream gradient)})``; with
    ``whole_array_softmax`` the softmax normalises the whole batch at once.
    """
    a1 = x @ params["W1"] + params["b1"]
    h = np.maximum(a1, 0)
    a2 = h @ params["W2"] + params["b2"]
    if whole_array_softmax:
        e = np.exp(a2 - a2.max())
        y = e / e.sum()
    else:
        e = np.exp(a2 - a2.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
    loss = -np.sum(t * np.log(y + 1e-7)) / len(x)
    d_a2 = (y - t) / len(x)
    d_a1 = (d_a2 @ params["W2"].T) * (a1 > 0)
    return loss, {"W1": (x, d_a1), "b1": (None, d_a1), "W2": (h, d_a2), "b2": (None, d_a2)}


def _grad(inputs, delta):
    return delta.sum(axis=0) if inputs is None else inputs.T @ delta


# ------------------------------------------------------------------ numerical_gradient


def _f(x):
    return float(np.sum(np.sin(x) * np.arange(1, x.size + 1).reshape(x.shape))
                 + np.sum(x) ** 2 / 10)


def _f_gradient(x):
    return np.cos(x) * np.arange(1, x.size + 1).reshape(x.shape) + np.sum(x) / 5


def test_numerical_gradient_function(student, mistakes):
    """numerical_gradient(f, x) with h = 1e-4: central differences, x restored each time."""
    module = student("two_layer_net")
    function, _ = resolve(module, "numerical_gradient", "two_layer_net.py")
    x = np.random.default_rng(1).standard_normal((3, 4))
    forward = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] += 1e-4
        forward[index] = (_f(shifted) - _f(x)) / 1e-4
    expect_relative(function(_f, x.copy()), _f_gradient(x),
                    "numerical_gradient(f, x) (central difference)", max_error=1e-6,
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


def test_net_predict(student, reference):
    params = _params(2)
    x, _, _ = _batch(3)
    expect_array(_student_net(student, params).predict(x.copy()),
                 _reference_net(reference, params).predict(x), "TwoLayerNet.predict(x)",
                 rtol=SMOOTH)


def test_net_loss(student, reference, mistakes):
    params = _params(4)
    x, _, one_hot = _batch(5)
    expected = _reference_net(reference, params).loss(x, one_hot)
    whole, _ = _manual(params, x, one_hot, whole_array_softmax=True)
    expect_number(_student_net(student, params).loss(x.copy(), one_hot.copy()), expected,
                  "TwoLayerNet.loss(x, t)", rtol=SMOOTH, mistakes=[
                      (Mistake.from_catalogue(mistakes, "cee_no_batch_mean"), expected * N),
                      (Mistake.from_catalogue(mistakes, "softmax_whole_array"), whole)])


def test_net_accuracy(student, reference):
    """accuracy(x, t) with one-hot t and with labels t."""
    params = _params(6)
    x, labels, one_hot = _batch(7)
    net, expected = _student_net(student, params), _reference_net(reference, params)
    for t, kind in ((one_hot, "one-hot"), (labels, "labels")):
        expect_number(net.accuracy(x.copy(), t.copy()), expected.accuracy(x, t),
                      f"TwoLayerNet.accuracy(x, t) with {kind} t", rtol=1e-9)


def test_net_numerical_gradient(student, reference, mistakes):
    """net.numerical_gradient(x, t) against the reference's, and params left unchanged."""
    params = _params(8)
    x, _, one_hot = _batch(9)
    net = _student_net(student, params)
    result = _gradient_dict(net.numerical_gradient(x.copy(), one_hot.copy()),
                            "TwoLayerNet.numerical_gradient(x, t)")
    ref_net = _reference_net(reference, params)
    expected = ref_net.numerical_gradient(x, one_hot)
    loss = ref_net.loss
    for key in KEYS:
        forward = np.zeros_like(params[key])
        base = loss(x, one_hot)
        for index in np.ndindex(forward.shape):
            saved = ref_net.params[key][index]
            ref_net.params[key][index] = saved + 1e-4
            forward[index] = (loss(x, one_hot) - base) / 1e-4
            ref_net.params[key][index] = saved
        expect_relative(result[key], expected[key],
                        f"TwoLayerNet.numerical_gradient(x, t)['{key}']", max_error=1e-6,
                        mistakes=[(Mistake.from_catalogue(mistakes,
                                                          "numgrad_forward_difference"),
                                   forward)])
    after = net.params
    for key in KEYS:
        expect_array(after[key], params[key],
                     f"params['{key}'] after numerical_gradient (must be restored)",
                     rtol=1e-12, atol=1e-14)


def test_net_gradient(student, reference, mistakes):
    """net.gradient(x, t) (back-propagation) against the reference."""
    params = _params(10)
    x, _, one_hot = _batch(11)
    result = _gradient_dict(_student_net(student, params).gradient(x.copy(), one_hot.copy()),
                            "TwoLayerNet.gradient(x, t)")
    expected = _reference_net(reference, params).gradient(x, one_hot)
    _, parts = _manual(params, x, one_hot)
    _, whole = _manual(params, x, one_hot, whole_array_softmax=True)
    for key in KEYS:
        inputs, delta = parts[key]
        known = [(Mistake.from_catalogue(mistakes, "swl_backward_no_batch_division"),
                  expected[key] * N),
                 (Mistake.from_catalogue(mistakes, "affine_grad_mean"), expected[key] / N),
                 (Mistake.from_catalogue(mistakes, "softmax_whole_array"), _grad(*whole[key]))]
        if key.startswith("W"):
            known.append((Mistake.from_catalogue(mistakes, "affine_dW_transposed"),
                          delta.T @ inputs))
        else:
            known.append((Mistake.from_catalogue(mistakes, "affine_db_wrong_axis"),
                          delta.sum(axis=1)))
        expect_relative(result[key], expected[key], f"TwoLayerNet.gradient(x, t)['{key}']",
                        max_error=SMOOTH, mistakes=known)


def test_net_gradient_check(student):
    """net.gradient(x, t) against the numerical gradient of your own net.loss(x, t)."""
    params = _params(12)
    x, _, one_hot = _batch(13)
    net = _student_net(student, params)
    result = _gradient_dict(net.gradient(x.copy(), one_hot.copy()), "TwoLayerNet.gradient(x, t)")
    for key in KEYS:
        def loss_at(value, key=key):
            student.assign(net, ["params", key], value)
            return as_number(net.loss(x.copy(), one_hot.copy()), "TwoLayerNet.loss(x, t)")

        numeric = numerical_gradient(loss_at, params[key])
        student.assign(net, ["params", key], params[key].copy())
        expect_relative(result[key], numeric,
                        f"TwoLayerNet.gradient(x, t)['{key}'] against the numerical gradient "
                        "of your loss", max_error=WITH_LOG)


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
                      f"gradient_check(net, x, t)['{key}'] = mean |backprop - numerical|",
                      rtol=1e-9, atol=0.0,
                      mistakes=[(Mistake.from_catalogue(mistakes, "gc_no_abs"),
                                 float(np.mean(difference)))])
