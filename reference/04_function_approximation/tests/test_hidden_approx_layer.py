"""Hidden tests: ReLU, the squared error and the Layer class of function_approximation.py.

One test per unit, so one mistake costs once:

* The squared error is recognised as the sum E = ½ Σ (000 「実装のヒント」) or the batch
  mean ½ (1/N) Σ (002 「ミニバッチ学習と損失関数」) from its value; its gradient must be
  the derivative of the student's own loss (a wrong loss is judged by the loss test only).
* The Layer tests put the reference ``relu`` and ``relu_derivative`` into the student's
  module while they run: a mistake there is judged by those functions' own tests, not
  again through the layer (a layer that computes them inline is judged as it is).
* ``Layer.backward`` is judged by self-consistency first: the returned gradient and the
  step taken ((before - after) / lr) against the numerical gradient of the student's own
  forward; when the forward is the one at fault, the reference's rule is accepted too.
  ReLU'(0) = 0 (the slide's convention) is checked where a pre-activation is exactly 0.

Accepted variations (class-name aliases, ``w`` for ``W``, a backward returning a tuple)
are noted. Messages never show the hidden inputs; expected numbers go to the instructor.
"""

import contextlib
import math

import numpy as np

from checks import (CheckFailure, Mistake, as_array, as_number, attempt, backward_dx, expect,
                    expect_array, expect_number, expect_relative, find_attribute, hint, label,
                    numerical_gradient, relative_error, resolve)

SMOOTH = 1e-7
LR = 0.1
MODULE = "function_approximation"
WEIGHT_NAMES = ("W", "w", "weight", "weights")
BIAS_NAMES = ("b", "bias")


def _module(student):
    return student(MODULE)


# ------------------------------------------------------------------ loss conventions


def loss_convention(value, y_hat, y):
    """"sum" (½ Σ), "mean" (½ (1/N) Σ over the batch) or None, from the loss value."""
    total = 0.5 * float(np.sum((y_hat - y) ** 2))
    if math.isclose(value, total, rel_tol=SMOOTH):
        return "sum"
    if math.isclose(value, total / len(y_hat), rel_tol=SMOOTH):
        return "mean"
    return None


def test_squared_error(student, conventions):
    """½ Σ (ŷ - y)^2, or its batch mean: either is recognised (both are in the slides)."""
    module = _module(student)
    rng = np.random.default_rng(1)
    y_hat, y = rng.standard_normal((7, 1)), rng.standard_normal((7, 1))
    value = as_number(module.squared_error(y_hat.copy(), y.copy()), "squared_error(y_hat, y)")
    way = loss_convention(value, y_hat, y)
    if way is not None:
        conventions.recognised("loss", way)
        return
    expect_number(value, 0.5 * float(np.sum((y_hat - y) ** 2)),
                  label("squared_error(y_hat, y) (½ Σ (ŷ - y)^2、またはそのバッチ平均)",
                        "squared_error(y_hat, y) (½ Σ (ŷ - y)^2, or its batch mean)"),
                  rtol=SMOOTH, batch=len(y_hat))


def test_squared_error_gradient(student, mistakes):
    """The derivative of the student's own squared_error: ŷ - y (sum) or (ŷ - y) / N."""
    module = _module(student)
    rng = np.random.default_rng(2)
    y_hat, y = rng.standard_normal((7, 1)), rng.standard_normal((7, 1))
    result = as_array(module.squared_error_gradient(y_hat.copy(), y.copy()),
                      "squared_error_gradient(y_hat, y)")
    n = len(y_hat)
    ways = {"sum": y_hat - y, "mean": (y_hat - y) / n}
    own, error = attempt(module.squared_error, y_hat.copy(), y.copy())
    way = None
    if error is None:
        with contextlib.suppress(CheckFailure):
            way = loss_convention(as_number(own, "squared_error"), y_hat, y)
    wording = {"sum": label("squared_error_gradient (squared_error = ½ Σ (ŷ - y)^2 の微分 "
                            "ŷ - y)",
                            "squared_error_gradient (the derivative of squared_error = "
                            "½ Σ (ŷ - y)^2: ŷ - y)"),
               "mean": label("squared_error_gradient (バッチ平均の squared_error = "
                             "½ (1/N) Σ (ŷ - y)^2 の微分 (ŷ - y) / N)",
                             "squared_error_gradient (the derivative of the batch-mean "
                             "squared_error = ½ (1/N) Σ (ŷ - y)^2: (ŷ - y) / N)")}
    sign = Mistake.from_catalogue(mistakes, "loss_gradient_sign")
    if way is not None:  # the loss is right: its derivative, nothing else
        expect_array(result, ways[way], wording[way], rtol=SMOOTH,
                     mistakes=[(sign, -ways[way])], batch=n)
        return
    # The loss itself is wrong (its own test says so): the gradient of either convention
    # passes, and so does the derivative of the student's own loss.
    if any(result.shape == v.shape and np.allclose(result, v, rtol=SMOOTH, atol=1e-12)
           for v in ways.values()):
        return
    if error is None:
        with contextlib.suppress(CheckFailure, ValueError):
            numeric = numerical_gradient(lambda z: module.squared_error(z, y.copy()), y_hat)
            if result.shape == numeric.shape and relative_error(result, numeric) < 1e-6:
                return
    expect_array(result, ways["sum"], wording["sum"], rtol=SMOOTH,
                 mistakes=[(sign, -ways["sum"])], batch=n)


# ------------------------------------------------------------------ ReLU


U = np.array([[-2.0, -0.0, 0.0, 0.5], [3.0, -1e-3, 1e-3, 0.0]])


def test_relu(student, reference):
    module, ref = _module(student), reference(MODULE)
    expect_array(module.relu(U.copy()), ref.relu(U), "relu(u)", rtol=SMOOTH)


def test_relu_derivative(student, reference, mistakes):
    module, ref = _module(student), reference(MODULE)
    expect_array(module.relu_derivative(U.copy()), ref.relu_derivative(U),
                 "relu_derivative(u) (ReLU'(0) = 0)", rtol=SMOOTH, mistakes=[
                     (Mistake.from_catalogue(mistakes, "relu_derivative_at_zero"),
                      (U >= 0).astype(float))])


# ------------------------------------------------------------------ Layer helpers


@contextlib.contextmanager
def reference_activations(student, reference):
    """The reference relu and relu_derivative in the student's module, restored after."""
    module, ref = _module(student), reference(MODULE)
    saved = {}
    for name in ("relu", "relu_derivative"):
        with contextlib.suppress(AttributeError, CheckFailure):
            saved[name] = getattr(module, name)
            student.assign(module, [name], getattr(ref, name))
    try:
        yield
    finally:
        for name, value in saved.items():
            with contextlib.suppress(Exception):  # a restarted worker imports it afresh
                student.assign(module, [name], value)


def _layer_class(student, artifacts=None):
    cls, _ = resolve(_module(student), "Layer", "function_approximation.py",
                     artifacts=artifacts)
    return cls


def _names(layer, artifacts=None):
    """The attribute names the student's layer uses for W and b."""
    _, weight = find_attribute(layer, WEIGHT_NAMES, "Layer.W", artifacts=artifacts)
    _, bias = find_attribute(layer, BIAS_NAMES, "Layer.b", artifacts=artifacts)
    return weight, bias


def _make(cls, W, b, activation, artifacts=None):
    """A student layer with the given parameters (set explicitly after construction)."""
    layer = cls(W.shape[0], W.shape[1], activation, LR, np.random.default_rng(0))
    weight, bias = _names(layer, artifacts)
    setattr(layer, weight, W.copy())
    setattr(layer, bias, b.copy())
    return layer, weight, bias


def _case(seed, n, n_in, n_out, zero=False):
    """v, W, b, g. With ``zero`` the pre-activation u[0, 1] is exactly 0; without, every
    pre-activation stays away from 0 (the numerical derivative is then exact)."""
    while True:
        rng = np.random.default_rng(seed)
        v = rng.standard_normal((n, n_in))
        W, b = rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)
        g = rng.standard_normal((n, n_out))
        if zero:
            v[0] = 0.0
            b[1] = 0.0
            return v, W, b, g
        if np.min(np.abs(v @ W + b)) > 0.05:
            return v, W, b, g
        seed += 1000


def _rule(v, W, b, g, activation, derivative_at_zero=0.0, stores_output=False,
          use_derivative=True, divide=1.0, updated_first=False):
    """The returned gradient and the steps of W and b under a (possibly wrong) rule."""
    u = v @ W + b
    if activation == "relu":
        slope = (u > 0).astype(float) + derivative_at_zero * (u == 0)
        delta = g * slope if use_derivative else g
        out = np.maximum(u, 0)
    else:
        delta, out = g, u
    inputs = out if stores_output else v
    step_W, step_b = inputs.T @ delta / divide, delta.sum(axis=0) / divide
    returned = delta @ (W - LR * step_W).T if updated_first else delta @ W.T
    return {"dv": returned, "W": step_W, "b": step_b}


def _rule_of_output(v, W, g, out):
    """The rule applied to the units the student's own forward left active (out > 0):
    right for that forward even when its pre-activation is wrong (the forward test's)."""
    delta = g * (out > 0)
    return {"dv": delta @ W.T, "W": v.T @ delta, "b": delta.sum(axis=0)}


def _candidates(mistakes, v, W, b, g, activation):
    """The catalogued mistakes' values, block by block."""
    rules = {"layer_update_before_grad": {"updated_first": True},
             "layer_stores_output": {"stores_output": True},
             "layer_grad_divided_by_n": {"divide": float(len(v))}}
    if activation == "relu":
        rules["relu_derivative_at_zero"] = {"derivative_at_zero": 1.0}
        rules["layer_missing_activation_derivative"] = {"use_derivative": False}
    right = _rule(v, W, b, g, activation)
    found = {"dv": [], "W": [], "b": []}
    for key, wrong in rules.items():
        value = _rule(v, W, b, g, activation, **wrong)
        for block in found:
            if value[block].shape != right[block].shape or \
                    not np.allclose(value[block], right[block]):
                found[block].append((Mistake.from_catalogue(mistakes, key), value[block]))
    return found


BLOCKS = {
    "dv": label("Layer.backward(g) の戻り値 (前のレイヤへの勾配)",
                "the gradient Layer.backward(g) returns (for the previous layer)"),
    "W": label("W の更新量 (更新前の W - 更新後の W) / lr",
               "the step of W, (W before - W after) / lr"),
    "b": label("b の更新量 (更新前の b - 更新後の b) / lr",
               "the step of b, (b before - b after) / lr"),
}


def _backward(cls, v, W, b, g, activation, artifacts=None):
    """The student's forward output, and what backward returned and did to W and b."""
    layer, weight, bias = _make(cls, W, b, activation, artifacts)
    out = as_array(layer.forward(v.copy()), "Layer.forward(v)")
    returned = backward_dx(layer.backward(g.copy()), "Layer.backward(g)", artifacts=artifacts)
    return out, {"dv": as_array(returned, BLOCKS["dv"]),
                 "W": (W - as_array(getattr(layer, weight), "Layer.W")) / LR,
                 "b": (b - as_array(getattr(layer, bias), "Layer.b")) / LR}


def _own_numerical(cls, v, W, b, g, activation):
    """The numerical gradient of Σ g * forward(v) (the student's own forward)."""
    probe, weight, bias = _make(cls, W, b, activation)

    def total(v_in, W_in, b_in):
        setattr(probe, weight, W_in)
        setattr(probe, bias, b_in)
        return float(np.sum(as_array(probe.forward(v_in), "Layer.forward(v)") * g))

    return {"dv": numerical_gradient(lambda z: total(z, W.copy(), b.copy()), v),
            "W": numerical_gradient(lambda z: total(v.copy(), z, b.copy()), W),
            "b": numerical_gradient(lambda z: total(v.copy(), W.copy(), z), b)}


def _agrees(value, expected):
    return value.shape == expected.shape and bool(np.all(np.isfinite(value))) and \
        relative_error(value, expected) <= SMOOTH


def _variants(expected):
    """Slips recognised without the catalogue: a transposed g_W, db summed over all."""
    found = {"W": [("summed_all", np.full_like(expected["W"], expected["W"].sum()))],
             "b": [("summed_all", np.full_like(expected["b"], expected["b"].sum()))]}
    if expected["W"].shape[0] == expected["W"].shape[1]:
        found["W"].insert(0, ("transposed", expected["W"].T))
    return found


def _judge(actual, accepted, what, *, candidates, batch):
    """Every block agrees with one of the ``accepted`` gradients (the first is shown when
    none does); a failure names the block, a catalogued mistake or the kind of slip."""
    good = [k for k in BLOCKS if any(_agrees(actual[k], a[k]) for a in accepted)]
    bad = [k for k in BLOCKS if k not in good]
    if not bad:
        return
    key = bad[0]
    ja, en = what
    try:
        expect_relative(actual[key], accepted[0][key],
                        label(f"{ja}: {BLOCKS[key]['ja']}", f"{en}: {BLOCKS[key]['en']}"),
                        max_error=SMOOTH, mistakes=candidates.get(key, ()),
                        variants=_variants(accepted[0]).get(key, ()), batch=batch)
    except CheckFailure as failure:
        if good and not failure.diagnoses and not failure.hints:
            names = {"dv": "v", "W": "W", "b": "b"}
            block = hint("backward_block", good=", ".join(names[k] for k in good),
                         bad=", ".join(names[k] for k in bad))
            raise CheckFailure(failure.bilingual["ja"] + "\nヒント: " + block.ja,
                               failure.bilingual["en"] + "\nHint: " + block.en,
                               failure.details, hints=[block.id],
                               values_ja=failure.values["ja"],
                               values_en=failure.values["en"]) from None
        raise


# ------------------------------------------------------------------ Layer


def test_layer_init_he(student, mistakes, artifacts):
    """ReLU layer: W (n_in, n_out) with std sqrt(2 / n_in) (He), b (n_out,)."""
    cls = _layer_class(student)
    n_in, n_out = 50, 400
    layer = cls(n_in, n_out, "relu", 0.01, np.random.default_rng(3))
    W, _ = find_attribute(layer, WEIGHT_NAMES, "Layer.W", artifacts=artifacts)
    b, _ = find_attribute(layer, BIAS_NAMES, "Layer.b")
    W, b = as_array(W, "Layer.W"), as_array(b, "Layer.b")
    expect(W.shape != (n_out, n_in),
           "Layer(n_in, n_out) の W の形が (n_out, n_in) になっています。この課題では "
           "(n_in, n_out) です: スライドの W_l v_l (000 「数式による表現」) の列ベクトルを、"
           "行に並べたバッチ v に書き直すと u = v W + b となり、W はスライドの W_l の"
           "転置です。",
           "Layer(n_in, n_out) has W of shape (n_out, n_in). Here it is (n_in, n_out): the "
           "slide's W_l v_l (000 「数式による表現」) acts on a column vector; with the batch "
           "v in rows it reads u = v W + b, so W is the transpose of the slide's W_l.",
           hint_id="transposed")
    expect(W.shape == (n_in, n_out) and b.shape == (n_out,),
           f"Layer(n_in, n_out) の W, b の形が {W.shape}, {b.shape} です。"
           "(n_in, n_out) と (n_out,) にしてください。",
           f"Layer(n_in, n_out) has W, b of shapes {W.shape}, {b.shape}; they must be "
           "(n_in, n_out) and (n_out,).")
    expect(bool(np.all(np.isfinite(W)) and np.all(np.isfinite(b))),
           "W, b に NaN または inf が含まれています。", "W or b contains NaN or inf.")
    he = math.sqrt(2 / n_in)
    expect_number(float(np.std(W)), he,
                  label("ReLU レイヤの W の標準偏差 (He の初期値 sqrt(2 / n_in))",
                        "the standard deviation of a ReLU layer's W (He: sqrt(2 / n_in))"),
                  rtol=0.1, mistakes=[
                      (Mistake.from_catalogue(mistakes, "he_init_no_sqrt"), 2 / n_in),
                      (Mistake.from_catalogue(mistakes, "he_init_fan_out"),
                       math.sqrt(2 / n_out))])
    identity = cls(40, 30, "identity", 0.01, np.random.default_rng(4))
    W, _ = find_attribute(identity, WEIGHT_NAMES, "Layer.W")
    expect(as_array(W, "Layer.W").shape == (40, 30),
           "identity のレイヤの W の形が (n_in, n_out) ではありません。",
           "The identity layer's W is not of shape (n_in, n_out).")


def test_layer_forward(student, reference, artifacts):
    """u = v W + b, then ReLU (hidden layers) or the identity (output layer)."""
    cls, ref = _layer_class(student, artifacts), reference(MODULE)
    with reference_activations(student, reference):
        for seed, (n_in, n_out), activation in ((4, (3, 5), "relu"), (5, (4, 2), "identity")):
            v, W, b, _ = _case(seed, 6, n_in, n_out, zero=activation == "relu")
            expected = ref.Layer(n_in, n_out, activation, LR, np.random.default_rng(0))
            expected.W, expected.b = W.copy(), b.copy()
            layer, _, _ = _make(cls, W, b, activation, artifacts)
            expect_array(layer.forward(v.copy()), expected.forward(v),
                         f"Layer(..., {activation!r}).forward(v)", rtol=SMOOTH)


def test_layer_backward(student, reference, mistakes, artifacts):
    """The returned gradient delta Wᵀ (W before the update) and the steps of W and b
    (vᵀ delta and Σ_rows delta) agree with the numerical gradient of the student's own
    forward, for ReLU and identity layers, square and not; ReLU'(0) = 0 where u = 0."""
    cls = _layer_class(student)
    with reference_activations(student, reference):
        for seed, (n_in, n_out), activation in ((6, (4, 4), "relu"), (7, (3, 5), "relu"),
                                                 (8, (5, 2), "identity")):
            v, W, b, g = _case(seed, 6, n_in, n_out)
            out, actual = _backward(cls, v, W, b, g, activation, artifacts)
            accepted = [_own_numerical(cls, v, W, b, g, activation),
                        _rule(v, W, b, g, activation)]
            if activation == "relu" and out.shape == (len(v), n_out):
                accepted.append(_rule_of_output(v, W, g, out))
            _judge(actual, accepted,
                   (f"Layer(..., {activation!r})", f"Layer(..., {activation!r})"),
                   candidates=_candidates(mistakes, v, W, b, g, activation), batch=len(v))
        # u[0, 1] = 0 exactly: the slide's ReLU'(0) = 0. Judged when the forward is right
        # (a wrong forward is the forward test's to judge).
        v, W, b, g = _case(9, 6, 3, 5, zero=True)
        expected = reference(MODULE).Layer(3, 5, "relu", LR, np.random.default_rng(0))
        expected.W, expected.b = W.copy(), b.copy()
        out, actual = _backward(cls, v, W, b, g, "relu")
        if out.shape == (6, 5) and np.allclose(out, expected.forward(v), rtol=SMOOTH):
            _judge(actual, [_rule(v, W, b, g, "relu")],
                   ("u = 0 のある Layer(..., 'relu') (ReLU'(0) = 0)",
                    "Layer(..., 'relu') with u = 0 somewhere (ReLU'(0) = 0)"),
                   candidates=_candidates(mistakes, v, W, b, g, "relu"), batch=len(v))
