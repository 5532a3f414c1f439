"""Hidden tests: scripts/perceptron.py.

Forward, backward (returned gradient, parameter gradients) and the update are checked
separately, on parameters the test sets itself. Both conventions for the parameter
gradients are accepted: the sum over the batch (g_w = x.T @ g) and the mean (divided
by N); the test records which one the student used.
"""

import numpy as np

from checks import Mistake, expect, expect_array, expect_length, expect_number

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


def _detect(x, g, g_w, g_b):
    """Which convention the student's g_w, g_b follow, or None."""
    for name, (w_grad, b_grad) in _conventions(x, g).items():
        if (np.shape(g_w) == w_grad.shape and np.allclose(g_w, w_grad, rtol=1e-7, atol=1e-10)
                and np.shape(g_b) == b_grad.shape and np.allclose(g_b, b_grad, rtol=1e-7,
                                                                 atol=1e-10)):
            return name
    return None


CONVENTION_NOTE = {
    "sum": {"ja": "勾配の流儀: 和 (g_w = x.T @ g)",
            "en": "Gradient convention: sum (g_w = x.T @ g)"},
    "mean": {"ja": "勾配の流儀: 平均 (g_w = x.T @ g / N)",
             "en": "Gradient convention: mean (g_w = x.T @ g / N)"},
}


def test_init(student):
    pc = student("perceptron")
    model = pc.Perceptron(4, 2, learning_rate=0.05, rng=np.random.default_rng(0))
    w, b = np.asarray(model.w), np.asarray(model.b)
    expect(w.shape == (4, 2), f"Perceptron(4, 2).w の形が {w.shape} です。(4, 2) にしてください。",
           f"Perceptron(4, 2).w has shape {w.shape}; it must be (4, 2).")
    expect(b.shape == (2,), f"Perceptron(4, 2).b の形が {b.shape} です。(2,) にしてください。",
           f"Perceptron(4, 2).b has shape {b.shape}; it must be (2,).")
    expect(bool(np.all(np.isfinite(w)) and np.all(np.isfinite(b))),
           "w, b に NaN/inf が含まれています。", "w or b contains NaN/inf.")
    expect_number(model.lr, 0.05, "Perceptron(..., learning_rate=0.05).lr")


def test_forward(student, reference):
    pc, ref = student("perceptron"), reference("perceptron")
    x, w, b, _ = _setup(1)
    model = _model(pc, w, b)
    expected = _model(ref, w, b).forward(x)
    expect_array(model.forward(x.copy()), expected, "Perceptron.forward(x)")


def test_backward_returned_gradient(student, mistakes):
    pc = student("perceptron")
    x, w, b, g = _setup(2)
    model = _model(pc, w, b)
    model.forward(x.copy())
    returned = model.backward(g.copy())
    expected = g @ w.T
    early = [(Mistake.from_catalogue(mistakes, "pc_update_before_grad"),
              g @ (w - LR * w_grad).T) for w_grad, _ in _conventions(x, g).values()]
    expect_array(returned, expected, "Perceptron.backward(g) (returned gradient)",
                 mistakes=early)


def test_backward_parameter_gradients(student, mistakes, artifacts):
    pc = student("perceptron")
    x, w, b, g = _setup(3)
    model = _model(pc, w, b)
    model.forward(x.copy())
    model.backward(g.copy())
    g_w, g_b = np.asarray(model.g_w, dtype=float), np.asarray(model.g_b, dtype=float)
    convention = _detect(x, g, g_w, g_b)
    if convention is not None:
        artifacts.note("convention", convention, CONVENTION_NOTE[convention])
        return
    conventions = _conventions(x, g)
    mixed = [(conventions["sum"][0], conventions["mean"][1]),
             (conventions["mean"][0], conventions["sum"][1])]
    if any(np.shape(g_w) == a.shape and np.allclose(g_w, a) and np.shape(g_b) == c.shape
           and np.allclose(g_b, c) for a, c in mixed):
        expect(False, "g_w と g_b の流儀が揃っていません。", "g_w and g_b disagree.",
               Mistake.from_catalogue(mistakes, "pc_mixed_convention"))
    transposed = [(Mistake.from_catalogue(mistakes, "pc_grad_transposed"), value[0].T)
                  for value in conventions.values()]
    # Not one of the conventions: compare with the sum convention, naming known mistakes.
    expect_array(g_w, conventions["sum"][0], "Perceptron.g_w (sum convention x.T @ g)",
                 mistakes=transposed)
    expect_array(g_b, conventions["sum"][1], "Perceptron.g_b (sum convention Σ g)")


def test_backward_update(student, mistakes):
    pc = student("perceptron")
    x, w, b, g = _setup(4)
    model = _model(pc, w, b)
    model.forward(x.copy())
    model.backward(g.copy())
    g_w, g_b = np.asarray(model.g_w, dtype=float), np.asarray(model.g_b, dtype=float)
    convention = _detect(x, g, g_w, g_b) or "sum"
    w_grad, b_grad = _conventions(x, g)[convention]
    wrong = [(Mistake.from_catalogue(mistakes, "pc_update_sign"), w + LR * w_grad),
             (Mistake.from_catalogue(mistakes, "pc_update_no_lr"), w - w_grad)]
    expect_array(model.w, w - LR * w_grad, "Perceptron.w after backward (w - lr g_w)",
                 mistakes=wrong)
    expect_array(model.b, b - LR * b_grad, "Perceptron.b after backward (b - lr g_b)",
                 mistakes=[(Mistake.from_catalogue(mistakes, "pc_update_sign"), b + LR * b_grad),
                           (Mistake.from_catalogue(mistakes, "pc_update_no_lr"), b - b_grad)])


def test_mse_forward(student, reference, mistakes):
    pc, ref = student("perceptron"), reference("perceptron")
    rng = np.random.default_rng(5)
    y, t = rng.standard_normal((8, 1)), rng.standard_normal((8, 1))
    expected = ref.MeanSquaredError().forward(y, t)
    expect_number(pc.MeanSquaredError().forward(y.copy(), t.copy()), expected,
                  "MeanSquaredError.forward(y, t)", rtol=1e-9,
                  mistakes=[(Mistake.from_catalogue(mistakes, "mse_forward_sum"),
                             np.sum((y - t) ** 2))])


def test_mse_backward(student, mistakes):
    pc = student("perceptron")
    rng = np.random.default_rng(6)
    y, t = rng.standard_normal((8, 1)), rng.standard_normal((8, 1))
    loss = pc.MeanSquaredError()
    loss.forward(y.copy(), t.copy())
    expect_array(loss.backward(), 2 * (y - t), "MeanSquaredError.backward()", mistakes=[
        (Mistake.from_catalogue(mistakes, "mse_backward_mean"), 2 * (y - t) / len(y)),
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
    expected = ref.train(x, t, _model(ref, w, b, lr=0.01), ref.MeanSquaredError(), 25)
    losses = pc.train(x.copy(), t.copy(), _model(ref, w, b, lr=0.01), ref.MeanSquaredError(), 25)
    expect_length(losses, 25, "train(x, t, model, loss_fn, 25)")
    expect_array(np.asarray(losses, dtype=float), np.asarray(expected),
                 "train(...) losses (with the reference Perceptron)", rtol=1e-9)


def test_training_end_to_end(student, reference, artifacts):
    """Your Perceptron, MeanSquaredError and train together; either convention accepted."""
    pc, ref = student("perceptron"), reference("perceptron")
    x, t = _regression(8)
    w, b = np.full((3, 1), 0.1), np.zeros(1)
    losses = pc.train(x.copy(), t.copy(), _model(pc, w, b, lr=0.01), pc.MeanSquaredError(), 60)
    curves = {"sum": ref.train(x, t, _model(ref, w, b, lr=0.01), ref.MeanSquaredError(), 60),
              "mean": ref.train(x, t, _model(ref, w, b, lr=0.01 / len(x)),
                                ref.MeanSquaredError(), 60)}
    values = np.asarray(losses, dtype=float) if isinstance(losses, (list, tuple, np.ndarray)) \
        else np.zeros(0)
    match = next((name for name, curve in curves.items()
                  if values.shape == (60,) and np.allclose(values, curve, rtol=1e-7)), None)
    artifacts.curve("training", {"student": values.tolist(),
                                 "reference (sum)": curves["sum"],
                                 "reference (mean)": curves["mean"]},
                    title={"ja": "学習曲線: あなたの実装と参照解",
                           "en": "Training curve: your code and the reference"}, ylabel="E")
    if match is not None:
        artifacts.note("convention", match, CONVENTION_NOTE[match])
        return
    expect_length(losses, 60, "train(x, t, model, loss_fn, 60)")
    expect_array(values, np.asarray(curves["sum"]),
                 "train(...) losses with your Perceptron (sum or mean convention)", rtol=1e-7)


def test_function1(student, mistakes):
    pc = student("perceptron")
    node = pc.Function1()
    node.a = 2.0
    node.lr = 0.1
    expect_number(node.forward(3.0), 6.0, "Function1.forward(3.0) with a = 2")
    returned = node.backward(1.5)
    expect_number(node.g_a, 1.5 * 3.0, "Function1.g_a after backward(1.5)")
    new_a = 2.0 - 0.1 * 4.5
    expect_number(returned, 1.5 * 2.0, "Function1.backward(1.5) (returned gradient)",
                  mistakes=[(Mistake.from_catalogue(mistakes, "f1_update_before_grad"),
                             1.5 * new_a)])
    expect_number(node.a, new_a, "Function1.a after backward (a - lr g_a)")
