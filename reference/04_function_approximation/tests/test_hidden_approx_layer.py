"""Hidden tests: ReLU, the squared error and the Layer class of function_approximation.py.

Forward, the gradient backward returns, and the parameter update are separate criteria,
each on parameters the test sets itself. The update is checked through the new W and b
(W - lr g_W), so no gradient attribute is required. A separate criterion compares the
returned gradient and the step taken with the numerical gradient of the student's own
forward. Accepted variations (class-name aliases, ``w`` for ``W``, a backward returning a
tuple) are noted.
"""

import numpy as np

from checks import (Mistake, as_array, backward_dx, expect, expect_array, expect_number,
                    expect_relative, find_attribute, numerical_gradient, resolve)

SMOOTH = 1e-7
LR = 0.1
WEIGHT_NAMES = ("W", "w", "weight", "weights")
BIAS_NAMES = ("b", "bias")


def _module(student):
    return student("function_approximation")


def _layer_class(student, artifacts=None):
    cls, _ = resolve(_module(student), "Layer", "function_approximation.py",
                     artifacts=artifacts)
    return cls


def _names(layer, artifacts=None):
    """The attribute names the student's layer uses for W and b."""
    _, weight = find_attribute(layer, WEIGHT_NAMES, "Layer.W", artifacts=artifacts)
    _, bias = find_attribute(layer, BIAS_NAMES, "Layer.b", artifacts=artifacts)
    return weight, bias


def _make(cls, W, b, activation, lr=LR):
    """A student layer with the given parameters (set explicitly after construction)."""
    layer = cls(W.shape[0], W.shape[1], activation, lr, np.random.default_rng(0))
    weight, bias = _names(layer)
    setattr(layer, weight, W.copy())
    setattr(layer, bias, b.copy())
    return layer


def _reference_layer(ref, W, b, activation, lr=LR):
    layer = ref.Layer(W.shape[0], W.shape[1], activation, lr, np.random.default_rng(0))
    layer.W, layer.b = W.copy(), b.copy()
    return layer


def _setup(seed, n=6, n_in=3, n_out=4, with_zero=True):
    """v, W, b, g; with ``with_zero`` one pre-activation is exactly 0 (ReLU'(0) = 0).

    The backward tests use square layers (n_in = n_out): a layer that keeps its output
    instead of its input then still runs, and the mistake can be named.
    """
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, n_in))
    W, b = rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)
    g = rng.standard_normal((n, n_out))
    if with_zero:
        v[0] = 0.0
        b[1] = 0.0  # u[0, 1] = 0 exactly
    return v, W, b, g


def _away_from_zero(seed):
    """Inputs whose pre-activations all stay away from 0 (numerical derivative exact)."""
    while True:
        v, W, b, g = _setup(seed, with_zero=False)
        if np.min(np.abs(v @ W + b)) > 0.05:
            return v, W, b, g
        seed += 1000


def _expected(v, W, b, g, activation, derivative_at_zero=0.0, stores_output=False,
              use_derivative=True, divide=1.0):
    """The returned gradient and the new W, b under a given (possibly wrong) rule."""
    u = v @ W + b
    if activation == "relu":
        slope = (u > 0).astype(float) + derivative_at_zero * (u == 0)
        delta = g * slope if use_derivative else g
        out = np.maximum(u, 0)
    else:
        delta, out = g, u
    inputs = out if stores_output else v
    g_W, g_b = inputs.T @ delta / divide, delta.sum(axis=0) / divide
    return delta @ W.T, W - LR * g_W, b - LR * g_b


# ------------------------------------------------------------------ functions


def test_relu(student, reference):
    module, ref = _module(student), reference("function_approximation")
    u = np.array([[-2.0, -0.0, 0.0, 0.5], [3.0, -1e-3, 1e-3, 0.0]])
    expect_array(module.relu(u.copy()), ref.relu(u), "relu(u)", rtol=SMOOTH)


def test_relu_derivative(student, reference, mistakes):
    module, ref = _module(student), reference("function_approximation")
    u = np.array([[-2.0, -0.0, 0.0, 0.5], [3.0, -1e-3, 1e-3, 0.0]])
    expect_array(module.relu_derivative(u.copy()), ref.relu_derivative(u),
                 "relu_derivative(u) (ReLU'(0) = 0)", rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "relu_derivative_at_zero"),
                      (u >= 0).astype(float))])


def test_squared_error(student, reference):
    module, ref = _module(student), reference("function_approximation")
    rng = np.random.default_rng(1)
    y_hat, y = rng.standard_normal((7, 2)), rng.standard_normal((7, 2))
    expect_number(module.squared_error(y_hat.copy(), y.copy()), ref.squared_error(y_hat, y),
                  "squared_error(y_hat, y) = ½ Σ (ŷ - y)^2", rtol=SMOOTH)


def test_squared_error_gradient(student, reference, mistakes):
    module, ref = _module(student), reference("function_approximation")
    rng = np.random.default_rng(2)
    y_hat, y = rng.standard_normal((7, 1)), rng.standard_normal((7, 1))
    expect_array(module.squared_error_gradient(y_hat.copy(), y.copy()),
                 ref.squared_error_gradient(y_hat, y), "squared_error_gradient(y_hat, y) = ŷ - y",
                 rtol=SMOOTH, mistakes=[(Mistake.from_catalogue(mistakes, "loss_gradient_sign"),
                                         y - y_hat)])


# ------------------------------------------------------------------ Layer


def test_layer_init_he(student, mistakes, artifacts):
    """Layer(50, 400, "relu", ...): W (50, 400) with std sqrt(2 / 50) = 0.2, b (400,)."""
    cls = _layer_class(student)
    layer = cls(50, 400, "relu", 0.01, np.random.default_rng(3))
    W, _ = find_attribute(layer, WEIGHT_NAMES, "Layer.W", artifacts=artifacts)
    b, _ = find_attribute(layer, BIAS_NAMES, "Layer.b")
    W, b = as_array(W, "Layer.W"), as_array(b, "Layer.b")
    expect(W.shape == (50, 400),
           f"Layer(50, 400).W の形が {W.shape} です。(50, 400) にしてください。",
           f"Layer(50, 400).W has shape {W.shape}; it must be (50, 400).")
    expect(b.shape == (400,),
           f"Layer(50, 400).b の形が {b.shape} です。(400,) にしてください。",
           f"Layer(50, 400).b has shape {b.shape}; it must be (400,).")
    expect(bool(np.all(np.isfinite(W)) and np.all(np.isfinite(b))),
           "W, b に NaN/inf が含まれています。", "W or b contains NaN/inf.")
    spread, he = float(np.std(W)), np.sqrt(2 / 50)
    no_sqrt = abs(spread - 2 / 50) < 0.1 * (2 / 50)
    expect(abs(spread - he) < 0.1 * he,
           f"W の標準偏差が {spread:.4g} です。He の初期値では sqrt(2 / n_in) = {he:.4g} です。",
           f"W has standard deviation {spread:.4g}; He initialization gives sqrt(2 / n_in) = "
           f"{he:.4g}.", Mistake.from_catalogue(mistakes, "he_init_no_sqrt") if no_sqrt else None)


def test_layer_forward_relu(student, reference, artifacts):
    cls, ref = _layer_class(student, artifacts), reference("function_approximation")
    v, W, b, _ = _setup(4)
    expect_array(_make(cls, W, b, "relu").forward(v.copy()),
                 _reference_layer(ref, W, b, "relu").forward(v), "Layer(..., 'relu').forward(v)",
                 rtol=SMOOTH)


def test_layer_forward_identity(student, reference):
    cls, ref = _layer_class(student), reference("function_approximation")
    v, W, b, _ = _setup(5)
    expect_array(_make(cls, W, b, "identity").forward(v.copy()),
                 _reference_layer(ref, W, b, "identity").forward(v),
                 "Layer(..., 'identity').forward(v)", rtol=SMOOTH)


def _known(mistakes, v, W, b, g, part):
    """Candidate values of the known mistakes for the returned gradient (0) or W (1), b (2)."""
    catalogue = {
        "layer_update_before_grad": None,
        "relu_derivative_at_zero": _expected(v, W, b, g, "relu", derivative_at_zero=1.0),
        "layer_missing_activation_derivative": _expected(v, W, b, g, "relu",
                                                         use_derivative=False),
        "layer_stores_output": _expected(v, W, b, g, "relu", stores_output=True),
        "layer_grad_divided_by_n": _expected(v, W, b, g, "relu", divide=len(v)),
    }
    _, new_W, _ = _expected(v, W, b, g, "relu")
    u = v @ W + b
    catalogue["layer_update_before_grad"] = ((g * (u > 0)) @ new_W.T, None, None)
    return [(Mistake.from_catalogue(mistakes, key), value[part])
            for key, value in catalogue.items() if value[part] is not None]


def test_layer_backward_returned_gradient(student, mistakes, artifacts):
    """backward(g) returns (g f'(u)) W^T with W before the update (ReLU'(0) = 0)."""
    cls = _layer_class(student)
    v, W, b, g = _setup(6, n_in=4, n_out=4)
    layer = _make(cls, W, b, "relu")
    layer.forward(v.copy())
    returned = backward_dx(layer.backward(g.copy()), "Layer.backward(g)", artifacts=artifacts)
    expected, _, _ = _expected(v, W, b, g, "relu")
    expect_array(returned, expected, "Layer.backward(g) (gradient for the previous layer)",
                 rtol=SMOOTH, mistakes=_known(mistakes, v, W, b, g, 0))


def test_layer_backward_update(student, mistakes):
    """After backward(g): W <- W - lr v^T (g f'(u)), b <- b - lr Σ_rows (g f'(u))."""
    cls = _layer_class(student)
    v, W, b, g = _setup(7, n_in=4, n_out=4)
    layer = _make(cls, W, b, "relu")
    weight, bias = _names(layer)
    layer.forward(v.copy())
    layer.backward(g.copy())
    _, new_W, new_b = _expected(v, W, b, g, "relu")
    expect_array(getattr(layer, weight), new_W, "Layer.W after backward (W - lr g_W)",
                 rtol=SMOOTH, mistakes=_known(mistakes, v, W, b, g, 1))
    expect_array(getattr(layer, bias), new_b, "Layer.b after backward (b - lr g_b)",
                 rtol=SMOOTH, mistakes=_known(mistakes, v, W, b, g, 2))


def test_layer_backward_identity(student, mistakes):
    cls = _layer_class(student)
    v, W, b, g = _setup(8, n_in=4, n_out=4)
    layer = _make(cls, W, b, "identity")
    weight, bias = _names(layer)
    layer.forward(v.copy())
    returned = backward_dx(layer.backward(g.copy()), "Layer.backward(g)")
    expected, new_W, new_b = _expected(v, W, b, g, "identity")
    expect_array(returned, expected, "Layer(..., 'identity').backward(g) = g W^T (old W)",
                 rtol=SMOOTH, mistakes=[(Mistake.from_catalogue(mistakes,
                                                                "layer_update_before_grad"),
                                         g @ new_W.T)])
    wrong = {key: _expected(v, W, b, g, "identity", **rule) for key, rule in (
        ("layer_stores_output", {"stores_output": True}),
        ("layer_grad_divided_by_n", {"divide": len(v)}))}
    expect_array(getattr(layer, weight), new_W, "Layer(..., 'identity').W after backward",
                 rtol=SMOOTH, mistakes=[(Mistake.from_catalogue(mistakes, key), value[1])
                                        for key, value in wrong.items()])
    expect_array(getattr(layer, bias), new_b, "Layer(..., 'identity').b after backward",
                 rtol=SMOOTH, mistakes=[(Mistake.from_catalogue(mistakes, key), value[2])
                                        for key, value in wrong.items()])


def test_layer_gradient_check(student):
    """The returned gradient and the step taken, against your own forward's numerics."""
    cls = _layer_class(student)
    v, W, b, g = _away_from_zero(9)
    layer = _make(cls, W, b, "relu")
    weight, bias = _names(layer)
    layer.forward(v.copy())
    returned = backward_dx(layer.backward(g.copy()), "Layer.backward(g)")
    step_W = (W - as_array(getattr(layer, weight), "Layer.W")) / LR
    step_b = (b - as_array(getattr(layer, bias), "Layer.b")) / LR

    probe = _make(cls, W, b, "relu")

    def total(v_in, W_in, b_in):
        setattr(probe, weight, W_in)
        setattr(probe, bias, b_in)
        return float(np.sum(as_array(probe.forward(v_in), "Layer.forward(v)") * g))

    what = "against the numerical gradient of your forward"
    expect_relative(returned, numerical_gradient(lambda z: total(z, W.copy(), b.copy()), v),
                    f"Layer.backward(g) {what}", max_error=SMOOTH)
    expect_relative(step_W, numerical_gradient(lambda z: total(v.copy(), z, b.copy()), W),
                    f"(W_before - W_after) / lr {what}", max_error=SMOOTH)
    expect_relative(step_b, numerical_gradient(lambda z: total(v.copy(), W.copy(), z), b),
                    f"(b_before - b_after) / lr {what}", max_error=SMOOTH)
