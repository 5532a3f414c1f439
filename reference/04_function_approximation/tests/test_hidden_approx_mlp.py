"""Hidden tests: MLP, make_dataset and the fit of sin(x) in function_approximation.py.

The network's weights are always set by the test (each layer's W and b), so nothing
depends on the student's random draws except the order of mini-batches inside ``train``.
One full-batch epoch is deterministic and is compared with the reference; the fit of
sin(x) within a fixed budget is graded by its final error on a grid, and the fit and the
loss curve are recorded for the report.
"""

import io

import numpy as np

from checks import (Mistake, as_array, backward_dx, expect, expect_array, expect_length,
                    expect_tuple, find_attribute, resolve)

SMOOTH = 1e-7
SIZES = [1, 16, 16, 1]
LEARNING_RATE, EPOCHS, BATCH, POINTS = 0.003, 300, 10, 100
MAX_ERROR = 0.01           # mean (ŷ - sin x)^2 on the grid; the reference reaches 0.0008-0.002
LAYER_LISTS = ("layers", "layer_list", "network", "model")
WEIGHT_NAMES = ("W", "w", "weight", "weights")
BIAS_NAMES = ("b", "bias")
_reference_fits: dict = {}


def _mlp_class(student, artifacts=None):
    cls, _ = resolve(student("function_approximation"), "MLP", "function_approximation.py",
                     artifacts=artifacts)
    return cls


def _initial(seed, sizes=SIZES):
    """He-scaled weights and small nonzero biases, for the tests of single steps."""
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in),
             0.1 * rng.standard_normal(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _fit_start(reference):
    """The reference's own initialisation (seed 2026): the fit's budget was tuned on it."""
    model = reference("function_approximation").MLP(list(SIZES), LEARNING_RATE,
                                                    np.random.default_rng(2026))
    return [(layer.W.copy(), layer.b.copy()) for layer in model.layers]


def _layers(model, artifacts=None):
    layers, _ = find_attribute(model, LAYER_LISTS, "MLP.layers", artifacts=artifacts)
    expect(isinstance(layers, (list, tuple)),
           "MLP.layers は Layer のリストである必要があります。",
           "MLP.layers must be a list of Layer objects.")
    return list(layers)


def _set_weights(model, weights, artifacts=None):
    layers = _layers(model, artifacts)
    expect(len(layers) == len(weights),
           f"MLP のレイヤ数が {len(layers)} です ({len(weights)} のはず)。",
           f"The MLP has {len(layers)} layers (expected {len(weights)}).")
    for layer, (W, b) in zip(layers, weights):
        _, weight = find_attribute(layer, WEIGHT_NAMES, "Layer.W")
        _, bias = find_attribute(layer, BIAS_NAMES, "Layer.b")
        setattr(layer, weight, W.copy())
        setattr(layer, bias, b.copy())
    return layers


def _student_model(student, weights, sizes=SIZES, lr=LEARNING_RATE, seed=0, artifacts=None):
    model = _mlp_class(student)(list(sizes), lr, np.random.default_rng(seed))
    _set_weights(model, weights, artifacts)
    return model


def _reference_model(reference, weights, sizes=SIZES, lr=LEARNING_RATE, seed=0):
    model = reference("function_approximation").MLP(list(sizes), lr, np.random.default_rng(seed))
    for layer, (W, b) in zip(model.layers, weights):
        layer.W, layer.b = W.copy(), b.copy()
    return model


def _weights_of(layers):
    result = []
    for layer in layers:
        W, _ = find_attribute(layer, WEIGHT_NAMES, "Layer.W")
        b, _ = find_attribute(layer, BIAS_NAMES, "Layer.b")
        result.append((as_array(W, "Layer.W"), as_array(b, "Layer.b")))
    return result


def test_make_dataset(student):
    module = student("function_approximation")
    x, y = expect_tuple(module.make_dataset(50, np.random.default_rng(4)), 2,
                        "make_dataset(50, rng)")
    x, y = as_array(x, "make_dataset(...)[0] (x)"), as_array(y, "make_dataset(...)[1] (y)")
    expect(x.shape == (50, 1) and y.shape == (50, 1),
           f"x, y の形が {x.shape}, {y.shape} です ((50, 1) のはず)。",
           f"x and y have shapes {x.shape}, {y.shape} (expected (50, 1)).")
    expect(bool(np.all(np.abs(x) <= np.pi)) and float(np.ptp(x)) > np.pi,
           "x は [-π, π] に散らばっている必要があります。", "x must spread over [-π, π].")
    expect_array(y, np.sin(x), "make_dataset(...)[1] = sin(x)", rtol=SMOOTH)


def test_mlp_structure(student, artifacts):
    """MLP([1, 8, 6, 1]): three layers, W (1, 8), (8, 6), (6, 1)."""
    model = _mlp_class(student, artifacts)([1, 8, 6, 1], 0.01, np.random.default_rng(5))
    shapes = [tuple(np.shape(W)) for W, _ in _weights_of(_layers(model))]
    expect(shapes == [(1, 8), (8, 6), (6, 1)],
           f"MLP([1, 8, 6, 1]) の W の形が {shapes} です ([(1, 8), (8, 6), (6, 1)] のはず)。",
           f"MLP([1, 8, 6, 1]) has weights of shapes {shapes} "
           "(expected [(1, 8), (8, 6), (6, 1)]).")


def test_mlp_forward(student, reference, artifacts):
    """ReLU in the hidden layers, identity at the output."""
    weights = _initial(6)
    x = np.linspace(-np.pi, np.pi, 25).reshape(-1, 1)
    expect_array(_student_model(student, weights, artifacts=artifacts).forward(x.copy()),
                 _reference_model(reference, weights).forward(x), "MLP.forward(x)",
                 rtol=SMOOTH)


def test_mlp_backward(student, reference):
    """backward(g) through every layer in reverse order: returned gradient and new weights."""
    weights = _initial(7)
    x = np.random.default_rng(8).uniform(-np.pi, np.pi, (12, 1))
    g = np.random.default_rng(9).standard_normal((12, 1))
    model = _student_model(student, weights, lr=0.05)
    model.forward(x.copy())
    returned = backward_dx(model.backward(g.copy()), "MLP.backward(g)")
    expected = _reference_model(reference, weights, lr=0.05)
    expected.forward(x)
    expect_array(returned, expected.backward(g), "MLP.backward(g) (gradient for x)",
                 rtol=SMOOTH)
    for index, ((W, b), layer) in enumerate(zip(_weights_of(_layers(model)), expected.layers)):
        expect_array(W, layer.W, f"layers[{index}].W after MLP.backward", rtol=SMOOTH)
        expect_array(b, layer.b, f"layers[{index}].b after MLP.backward", rtol=SMOOTH)


def test_mlp_train_step(student, reference, mistakes):
    """train(x, y, epochs=1, batch_size=N): one full-batch step, whatever the shuffling."""
    weights = _initial(10)
    x, y = reference("function_approximation").make_dataset(40, np.random.default_rng(11))
    model = _student_model(student, weights, lr=0.002)
    losses = model.train(x.copy(), y.copy(), 1, len(x))
    expect_length(losses, 1, "MLP.train(x, y, epochs=1, batch_size=N) (losses)")
    expected = _reference_model(reference, weights, lr=0.002)
    expected.train(x, y, 1, len(x))
    uphill = _reference_model(reference, weights, lr=0.002)
    uphill.backward(-(uphill.forward(x) - y))  # the step with the sign of g reversed
    for index, ((W, b), layer, wrong) in enumerate(zip(_weights_of(_layers(model)),
                                                      expected.layers, uphill.layers)):
        sign = Mistake.from_catalogue(mistakes, "loss_gradient_sign")
        # Shuffled rows change the order of the sums: allow a little rounding.
        expect_array(W, layer.W, f"layers[{index}].W after one full-batch epoch", rtol=1e-9,
                     atol=1e-12, mistakes=[(sign, wrong.W)])
        expect_array(b, layer.b, f"layers[{index}].b after one full-batch epoch", rtol=1e-9,
                     atol=1e-12, mistakes=[(sign, wrong.b)])


def _reference_fit(reference, x, y):
    if "fit" not in _reference_fits:
        model = _reference_model(reference, _fit_start(reference), seed=12)
        losses = model.train(x, y, EPOCHS, BATCH)
        _reference_fits["fit"] = (losses, model)
    return _reference_fits["fit"]


def _figure(grid, fitted, reference_fit, x, y):
    """PNG of the data, sin(x), the student's fit and the reference's (no pyplot)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.5, 3.6))
    axes = figure.add_subplot()
    axes.scatter(x.ravel(), y.ravel(), s=8, color="0.6", label="data")
    axes.plot(grid.ravel(), np.sin(grid).ravel(), color="0.3", linestyle="--", label="sin(x)")
    axes.plot(grid.ravel(), reference_fit.ravel(), color="C0", label="reference")
    if fitted is not None and np.all(np.isfinite(fitted)):
        axes.plot(grid.ravel(), np.clip(fitted.ravel(), -3, 3), color="C1", label="student")
    else:
        axes.text(0.98, 0.04, "student: NaN / inf / wrong shape", transform=axes.transAxes,
                  ha="right", color="C1", fontsize=9)
    axes.set_xlabel("x")
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    return buffer.getvalue()


def test_mlp_fit_sin(student, reference, artifacts):
    """MLP([1, 16, 16, 1]) trained 300 epochs on 100 points approximates sin on [-π, π]."""
    x, y = reference("function_approximation").make_dataset(POINTS, np.random.default_rng(1))
    model = _student_model(student, _fit_start(reference))
    losses = model.train(x.copy(), y.copy(), EPOCHS, BATCH)
    ref_losses, ref_model = _reference_fit(reference, x, y)
    grid = np.linspace(-np.pi, np.pi, 201).reshape(-1, 1)
    fitted = as_array(model.forward(grid.copy()), "MLP.forward(grid)")
    artifacts.curve("loss", {"student": losses, "reference": ref_losses},
                    title={"ja": "学習曲線 (エポックごとの E / N)",
                           "en": "Training curve (E / N per epoch)"},
                    xlabel="epoch", ylabel="E / N")
    artifacts.image("fit.png", _figure(grid, fitted if fitted.shape == grid.shape else None,
                                       ref_model.forward(grid), x, y),
                    title={"ja": "sin(x) の近似: あなたのネットワークと参照解",
                           "en": "Approximating sin(x): your network and the reference"})
    expect_length(losses, EPOCHS, f"MLP.train(x, y, {EPOCHS}, {BATCH}) (losses)")
    expect(fitted.shape == grid.shape, f"MLP.forward(grid) の形が {fitted.shape} です。",
           f"MLP.forward(grid) has shape {fitted.shape}.")
    error = float(np.mean((fitted - np.sin(grid)) ** 2))
    reached = float(np.mean((ref_model.forward(grid) - np.sin(grid)) ** 2))
    artifacts.note("fit_error", round(error, 5) if np.isfinite(error) else None, {
        "ja": f"sin(x) との平均二乗誤差: {error:.4g} (参照解 {reached:.4g})",
        "en": f"Mean squared error against sin(x): {error:.4g} (reference {reached:.4g})"})
    expect(bool(np.isfinite(error)) and error < MAX_ERROR,
           f"{EPOCHS} エポック後の sin(x) との平均二乗誤差 {error:.4g} が {MAX_ERROR} 以上です"
           f" (参照解 {reached:.4g})。",
           f"After {EPOCHS} epochs the mean squared error against sin(x) is {error:.4g}, not "
           f"below {MAX_ERROR} (reference {reached:.4g}).")
