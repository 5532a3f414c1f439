"""Hidden tests: scripts/perceptron.py.

Each test judges one unit on parameters it sets itself: forward; backward's returned
gradient, its parameter gradients and its update (each on its own, the update against
the student's own g_w and g_b); the loss; the training loop (driving the reference's
Perceptron and loss); Function1. Sizes differ along every axis (N = 6, 3 inputs,
2 outputs), so a transposed product cannot pass.

Conventions the slides allow, recognised from the values and named in the report:
the parameter gradients as the batch sum or the batch mean (004 「平均二乗誤差関数と逆伝播(2)」),
and Function1.backward returning g a with the old a or, in the slide's literal order,
with the updated a (004 「計算グラフの一般化(4)」). Self-consistency first: gradients that
disagree with the reference are compared with the numerical gradient of the student's
own forward (only then, to keep the round trips few), so a backward consistent with its
own forward passes (the forward test judges the forward) and an inconsistent one is
told which block is wrong.
"""

import numpy as np

from checks import (Mistake, as_array, backward_dx, expect, expect_array, expect_gradients,
                    expect_length, expect_number, find_attribute, label, relative_error)

N, N_IN, N_OUT, LR = 6, 3, 2, 0.05


def _setup(seed=0, n=N, n_in=N_IN, n_out=N_OUT):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)),
            rng.standard_normal(n_out), rng.standard_normal((n, n_out)))


def _model(pc, w, b, lr=LR):
    model = pc.Perceptron(w.shape[0], w.shape[1], learning_rate=lr,
                          rng=np.random.default_rng(123))
    model.w = w.copy()
    model.b = b.copy()
    model.lr = lr
    return model


def _conventions(x, g):
    """The parameter gradients under each accepted convention."""
    n = len(x)
    return {"sum": (x.T @ g, g.sum(axis=0)), "mean": (x.T @ g / n, g.sum(axis=0) / n)}


def _close(value, expected):
    value, expected = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    return value.shape == expected.shape and bool(np.all(np.isfinite(value))) and \
        relative_error(value, expected) <= 1e-6


def _detect(pairs, g_w, g_b):
    """The convention whose (g_w, g_b) the student's match, or None."""
    return next((name for name, (w_grad, b_grad) in pairs.items()
                 if _close(g_w, w_grad) and _close(g_b, b_grad)), None)


def _gradients_of(model):
    g_w = as_array(find_attribute(model, ["g_w"], label(
        "Perceptron の g_w (w の勾配)", "Perceptron's g_w (the gradient of w)"))[0],
        "Perceptron.g_w")
    g_b = as_array(find_attribute(model, ["g_b"], label(
        "Perceptron の g_b (b の勾配)", "Perceptron's g_b (the gradient of b)"))[0],
        "Perceptron.g_b")
    return g_w, g_b


def _own_numerical(model, x, g, w, b, wrt, h=1e-5):
    """d Σ (g ⊙ forward(x)) / d wrt of the student's own forward at w, b (sum convention).

    Only called when a gradient disagrees with the reference: it costs two calls of the
    student's forward per number (plus setting the parameter). None when the forward's
    output does not have g's shape (the forward test says so)."""
    model.w, model.b = w.copy(), b.copy()
    point = {"w": w, "b": b, "x": x}[wrt].astype(float).copy()
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        values = []
        for step in (h, -h):
            moved = point.copy()
            moved[index] += step
            if wrt == "x":
                y = model.forward(moved)
            else:
                setattr(model, wrt, moved)
                y = model.forward(x.copy())
            y = _array_or_none(y)
            if y is None or y.shape != g.shape:
                return None
            values.append(float(np.sum(g * y)))
        grad[index] = (values[0] - values[1]) / (2 * h)
    model.w, model.b = w.copy(), b.copy()
    return grad


def test_init(student):
    pc = student("perceptron")
    model = pc.Perceptron(4, 2, learning_rate=0.05, rng=np.random.default_rng(0))
    w, b = np.asarray(model.w), np.asarray(model.b)
    expect(w.shape == (4, 2), "Perceptron(n_in, n_out).w の形 (shape) が (n_in, n_out) では"
           "ありません。", "Perceptron(n_in, n_out).w does not have the shape (n_in, n_out).",
           hint_id="transposed" if w.shape == (2, 4) else None)
    expect(b.shape == (2,), "Perceptron(n_in, n_out).b の形 (shape) が (n_out,) ではありません。",
           "Perceptron(n_in, n_out).b does not have the shape (n_out,).",
           hint_id="reshaped" if b.size == 2 else None)
    expect(bool(np.all(np.isfinite(w)) and np.all(np.isfinite(b))),
           "w, b に NaN または inf が含まれています。", "w or b contains NaN or inf.")
    expect_number(model.lr, 0.05, "Perceptron(..., learning_rate).lr")


def test_forward(student, reference):
    pc, ref = student("perceptron"), reference("perceptron")
    x, w, b, _ = _setup(1)
    expected = _model(ref, w, b).forward(x)
    expect_array(_model(pc, w, b).forward(x.copy()), expected, "Perceptron.forward(x)",
                 batch=N)


def test_backward_returned_gradient(student, mistakes):
    pc = student("perceptron")
    x, w, b, g = _setup(2)
    model = _model(pc, w, b)
    model.forward(x.copy())
    returned = as_array(backward_dx(model.backward(g.copy()), "Perceptron.backward(g)"),
                        "Perceptron.backward(g)")
    expected = g @ w.T
    if _close(returned, expected):
        return
    grads = list(_conventions(x, g).values())
    own_w = _array_or_none(getattr(model, "g_w", None))
    if own_w is not None and own_w.shape == w.shape and not any(
            _close(own_w, w_grad) for w_grad, _ in grads):
        grads.append((own_w, None))
    early = [(Mistake.from_catalogue(mistakes, "pc_update_before_grad"),
              g @ (w - LR * w_grad).T) for w_grad, _ in grads]
    if not any(_close(returned, value) for _, value in early) and returned.shape == x.shape:
        own = _own_numerical(model, x, g, w, b, "x")
        if own is not None and _close(returned, own):
            return  # consistent with the student's own forward (judged by test_forward)
    expect_array(returned, expected, label(
        "Perceptron.backward(g) の戻り値 (前のノードへの勾配)",
        "Perceptron.backward(g) (the gradient for the previous node)"),
        mistakes=early, variants=[("wrong_parameter", w_grad) for w_grad, _ in grads],
        batch=N)


def test_backward_parameter_gradients(student, mistakes, conventions):
    pc = student("perceptron")
    x, w, b, g = _setup(3)
    model = _model(pc, w, b)
    model.forward(x.copy())
    model.backward(g.copy())
    g_w, g_b = _gradients_of(model)
    pairs = _conventions(x, g)
    convention = _detect(pairs, g_w, g_b)
    if convention is None and g_w.shape == w.shape and g_b.shape == b.shape:
        # Self-consistency: the numerical gradient of the student's own forward.
        own = (_own_numerical(model, x, g, w, b, "w"), _own_numerical(model, x, g, w, b, "b"))
        if own[0] is not None and own[1] is not None:
            pairs = {"sum": own, "mean": (own[0] / N, own[1] / N)}
            convention = _detect(pairs, g_w, g_b)
    if convention is not None:
        conventions.recognised("batch_gradients", convention)
        return
    mixed = Mistake.from_catalogue(mistakes, "pc_mixed_convention")
    expect(not any(_close(g_w, pairs[a][0]) and _close(g_b, pairs[c][1])
                   for a, c in (("sum", "mean"), ("mean", "sum"))),
           "g_w と g_b で和と平均の流儀が揃っていません。", "g_w and g_b disagree on the "
           "convention (sum or mean).", mixed)
    # Compare with the convention g_w (else g_b) follows, naming the block that differs.
    scale = next((name for name in ("sum", "mean") if _close(g_w, pairs[name][0])),
                 next((name for name in ("sum", "mean") if _close(g_b, pairs[name][1])),
                      "sum"))
    transposed = Mistake.from_catalogue(mistakes, "pc_grad_transposed")
    expect_gradients(
        {"g_w": g_w, "g_b": g_b}, {"g_w": pairs[scale][0], "g_b": pairs[scale][1]},
        label(f"Perceptron の勾配 ({'和' if scale == 'sum' else '平均'}の流儀)",
              f"Perceptron's gradients ({scale} convention)"), batch=N,
        mistakes={"g_w": [(transposed, value[0].T) for value in pairs.values()]})


def test_backward_update(student, mistakes):
    """w - lr g_w and b - lr g_b with the student's own g_w, g_b (judged elsewhere)."""
    pc = student("perceptron")
    x, w, b, g = _setup(4)
    model = _model(pc, w, b)
    model.forward(x.copy())
    model.backward(g.copy())
    new_w, new_b = as_array(model.w, "Perceptron.w"), as_array(model.b, "Perceptron.b")
    pairs = list(_conventions(x, g).values())
    try:
        own = _gradients_of(model)
    except AssertionError:  # no usable g_w, g_b: judged by the gradient test
        own = None
    if own is not None and own[0].shape == w.shape and own[1].size in (1, b.size):
        pairs.insert(0, (own[0], own[1].reshape(-1) if own[1].size == b.size else own[1]))
    for (w_grad, b_grad) in pairs:
        if _close(new_w, w - LR * w_grad) and _close(new_b, b - LR * b_grad):
            return
    w_grad, b_grad = pairs[0]
    expect_array(new_w, w - LR * w_grad, "Perceptron.w (w - lr g_w)", mistakes=[
        (Mistake.from_catalogue(mistakes, "pc_update_sign"), w + LR * w_grad),
        (Mistake.from_catalogue(mistakes, "pc_update_no_lr"), w - w_grad)])
    b_grad = next((bg for wg, bg in pairs if _close(new_w, w - LR * wg)), b_grad)
    expect_array(new_b, b - LR * b_grad, "Perceptron.b (b - lr g_b)", mistakes=[
        (Mistake.from_catalogue(mistakes, "pc_update_sign"), b + LR * b_grad),
        (Mistake.from_catalogue(mistakes, "pc_update_no_lr"), b - b_grad)])


def test_mse_forward(student, reference, mistakes):
    pc, ref = student("perceptron"), reference("perceptron")
    rng = np.random.default_rng(5)
    y, t = rng.standard_normal((8, 1)), rng.standard_normal((8, 1))
    expected = ref.MeanSquaredError().forward(y, t)
    expect_number(pc.MeanSquaredError().forward(y.copy(), t.copy()), expected,
                  "MeanSquaredError.forward(y, t)", rtol=1e-9, batch=len(y),
                  mistakes=[(Mistake.from_catalogue(mistakes, "mse_forward_sum"),
                             np.sum((y - t) ** 2))])


def test_mse_backward(student, mistakes):
    pc = student("perceptron")
    rng = np.random.default_rng(6)
    y, t = rng.standard_normal((8, 1)), rng.standard_normal((8, 1))
    loss = pc.MeanSquaredError()
    loss.forward(y.copy(), t.copy())
    expect_array(loss.backward(), 2 * (y - t), "MeanSquaredError.backward()", batch=len(y),
                 mistakes=[
                     (Mistake.from_catalogue(mistakes, "mse_backward_mean"),
                      2 * (y - t) / len(y)),
                     (Mistake.from_catalogue(mistakes, "mse_backward_no_two"), y - t),
                     (Mistake.from_catalogue(mistakes, "mse_backward_sign"), 2 * (t - y))])


def _regression(seed, n=20):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 3))
    t = x @ np.array([[1.5], [-2.0], [0.5]]) + 0.3 + 0.1 * rng.standard_normal((n, 1))
    return x, t


def test_train_loop(student, reference):
    """train() alone, driving the reference Perceptron and loss (they run in the judge)."""
    pc, ref = student("perceptron"), reference("perceptron")
    x, t = _regression(7)
    w, b = np.full((3, 1), 0.1), np.zeros(1)
    iterations = 8
    expected = ref.train(x, t, _model(ref, w, b, lr=0.01), ref.MeanSquaredError(), iterations)
    losses = pc.train(x.copy(), t.copy(), _model(ref, w, b, lr=0.01), ref.MeanSquaredError(),
                      iterations)
    expect_length(losses, iterations, "train(x, t, model, loss_fn, max_iteration)")
    expect_array(as_array(losses, "train(...)").ravel(), np.asarray(expected),
                 label("train の戻り値 (各回の誤差、参照解の Perceptron で)",
                       "train's return value (the loss of each iteration, with the "
                       "reference Perceptron)"), rtol=1e-9)


def test_function1(student, conventions):
    """g_a, the update, and the returned g a: with the old a (as the Perceptron slide
    orders it) or with the new a (004 「計算グラフの一般化(4)」 read literally)."""
    pc = student("perceptron")
    node = pc.Function1()
    node.a = 2.0
    node.lr = 0.1
    expect_number(node.forward(3.0), 6.0, "Function1.forward(x)")
    returned = node.backward(1.5)
    expect_number(node.g_a, 1.5 * 3.0, "Function1.g_a (g x)")
    new_a = 2.0 - 0.1 * 4.5
    expect_number(node.a, new_a, "Function1.a (a - lr g_a)")
    literal = _is(returned, 1.5 * new_a)
    expect_number(returned, 1.5 * (new_a if literal else 2.0),
                  label("Function1.backward(g) の戻り値 (g a)",
                        "Function1.backward(g), the returned g a"),
                  variants=[("wrong_parameter", 1.5 * 3.0)])
    conventions.recognised("function1_order", "literal" if literal else "old_a")


def _array_or_none(value):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _is(value, number):
    try:
        return bool(np.size(value) == 1 and np.isclose(float(np.ravel(value)[0]), number))
    except (TypeError, ValueError):
        return False
