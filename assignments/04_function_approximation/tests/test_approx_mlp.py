"""公開テスト: MLP / Public tests: the MLP.

MLP のテストでは、あなたの Layer の代わりにテスト用の簡単なレイヤ (FakeLayer) を
self.layers に入れて、MLP のメソッドだけを確かめます。
The MLP tests put simple stand-in layers (FakeLayer) in self.layers instead of your
Layer, so they check the MLP's methods alone.
"""

import math

import numpy as np

from checks import (as_array, attempt, call_keeping_arguments, expect, expect_array,
                    expect_length, find_attribute, label, resolve)

MODULE = "function_approximation"
LAYER_LISTS = ("layers", "layer_list", "network", "model")
WEIGHT_NAMES = ("W", "w", "weight", "weights")


def _mlp(student, sizes=(1, 8, 6, 1)):
    cls, _ = resolve(student(MODULE), "MLP", "function_approximation.py")
    return cls(list(sizes), 0.01, np.random.default_rng(0))


def _returns_tuple(student):
    """0 when your Layer.backward returns dx alone, else the length of its tuple (the
    stand-in layers answer the same way, so that your MLP can unpack them)."""
    try:
        cls, _ = resolve(student(MODULE), "Layer", "function_approximation.py")
        layer = cls(2, 3, "identity", 0.01, np.random.default_rng(0))
        layer.forward(np.ones((2, 2)))
        result = layer.backward(np.ones((2, 3)))
    except Exception:  # noqa: BLE001 - a broken Layer is judged by its own tests
        return 0
    return len(result) if isinstance(result, tuple) and len(result) > 1 else 0


def _answer(dx, tuple_length):
    return (dx,) + (None,) * (tuple_length - 1) if tuple_length else dx


class FakeLayer:
    """A stand-in layer: forward(v) = v M, backward(g) = g Mᵀ (no update), calls logged."""

    def __init__(self, M, index, log, tuple_length):
        self.M, self.index, self.log, self.tuple_length = np.array(M), index, log, tuple_length

    def forward(self, v):
        self.log.append(("forward", self.index))
        return np.asarray(v, dtype=float) @ self.M

    def backward(self, g):
        g = np.asarray(g, dtype=float)
        self.log.append(("backward", self.index))
        if g.ndim != 2 or g.shape[1] != self.M.shape[1]:  # called out of order
            self.log.append(("wrong_shape", self.index))
            return _answer(np.zeros((len(g), self.M.shape[0])), self.tuple_length)
        return _answer(g @ self.M.T, self.tuple_length)


MATRICES = ([[1.0, -2.0, 0.5]], [[1.0, 0.5], [-1.0, 2.0], [0.5, 1.0]], [[2.0], [-1.0]])


def _install(student, model, layers):
    found, name = find_attribute(model, LAYER_LISTS, "MLP.layers")
    expect(isinstance(found, (list, tuple)), "MLP.layers は Layer のリストにしてください。",
           "MLP.layers must be a list of Layer objects.")
    student.assign(model, [name], list(layers))


def test_mlp_structure(student):
    """Three layers 1 -> 8 -> 6 -> 1, ReLU then identity (when the layer keeps its
    activation's name in self.activation), each with the learning rate given."""
    layers, _ = find_attribute(_mlp(student), LAYER_LISTS, "MLP.layers")
    expect(isinstance(layers, (list, tuple)) and len(layers) == 3,
           "MLP([1, 8, 6, 1]) の self.layers は 3 つの Layer のリストのはずです。",
           "MLP([1, 8, 6, 1]) must keep a list of 3 Layer objects in self.layers.")
    shapes = [tuple(np.shape(as_array(find_attribute(layer, WEIGHT_NAMES, "Layer.W")[0],
                                      "Layer.W"))) for layer in layers]
    wanted = [(1, 8), (8, 6), (6, 1)]
    expect(all(shape in (w, w[::-1]) for shape, w in zip(shapes, wanted)),
           f"MLP([1, 8, 6, 1]) のレイヤの W の形が {shapes} です ({wanted} のはず)。",
           f"MLP([1, 8, 6, 1]) has layers with W of shapes {shapes} (expected {wanted}).")
    activations = [getattr(layer, "activation", None) for layer in layers]
    if all(isinstance(a, str) for a in activations):
        expect([a.lower() == "relu" for a in activations] == [True, True, False],
               f"レイヤの activation が {activations} です。隠れ層は \"relu\"、出力層は "
               "\"identity\" にしてください。",
               f"The layers' activations are {activations}: \"relu\" in the hidden layers, "
               "\"identity\" at the output.")
    for layer in layers:
        for name in ("lr", "learning_rate", "eta"):
            rate = getattr(layer, name, None)
            if isinstance(rate, (int, float)) and not isinstance(rate, bool):
                expect(math.isclose(rate, 0.01),
                       f"MLP(sizes, 0.01) のレイヤの {name} が {rate} です。学習率をレイヤに"
                       "渡してください。",
                       f"MLP(sizes, 0.01) made a layer with {name} = {rate}: pass the learning "
                       "rate to the layers.")
                break


def test_mlp_forward(student):
    """x M1 M2 M3 with the stand-in layers: each forward once, in order."""
    log: list = []
    model = _mlp(student, (1, 3, 2, 1))
    _install(student, model, [FakeLayer(M, i, log, 0) for i, M in enumerate(MATRICES)])
    result = model.forward(np.array([[1.0], [2.0], [-1.0], [0.5]]))
    expect([i for kind, i in log if kind == "forward"] == [0, 1, 2],
           "MLP.forward は self.layers の forward を先頭から順に 1 回ずつ呼んでください。",
           "MLP.forward must call the forward of each layer in self.layers once, in order.")
    expect_array(result, [[9.5], [19.0], [-9.5], [4.75]], "MLP.forward(x)")


def test_mlp_backward(student):
    """g M3ᵀ M2ᵀ M1ᵀ with the stand-in layers: each backward once, from the last."""
    log: list = []
    model = _mlp(student, (1, 3, 2, 1))
    tuple_length = _returns_tuple(student)
    _install(student, model, [FakeLayer(M, i, log, tuple_length)
                              for i, M in enumerate(MATRICES)])
    result = model.backward(np.array([[1.0], [-2.0], [0.5], [1.0]]))
    expect([i for kind, i in log if kind == "backward"] == [2, 1, 0]
           and not any(kind == "wrong_shape" for kind, _ in log),
           "MLP.backward は self.layers の backward を最後から逆順に 1 回ずつ呼び、"
           "次のレイヤが返した勾配を渡してください。",
           "MLP.backward must call the backward of each layer once, from the last to the "
           "first, each with the gradient the next layer returned.")
    if isinstance(result, tuple) and len(result) > 1:
        result = result[0]
    expect_array(result, [[9.5], [-19.0], [4.75], [9.5]], "MLP.backward(g)")


class FakeNetwork:
    """One stand-in for all the layers: forward(v) = v / 2 + 0.01 k after k backward
    calls (so the loss shows when it was computed); backward records g."""

    def __init__(self, tuple_length):
        self.tuple_length, self.steps, self.events = tuple_length, 0, []

    def forward(self, v):
        v = np.array(v, dtype=float)
        out = v / 2 + 0.01 * self.steps
        self.events.append((v, out))
        return out

    def backward(self, g):
        g = np.array(g, dtype=float)
        self.steps += 1
        self.events.append((g,))
        return _answer(g / 2, self.tuple_length)


def test_mlp_train(student):
    """train(x, y, epochs=3, batch_size=4) on 12 points with the stand-in network."""
    fa = student(MODULE)
    x = np.linspace(-3.0, 3.0, 12).reshape(-1, 1)
    y = np.cos(x)
    network = FakeNetwork(_returns_tuple(student))
    model = _mlp(student, (1, 4, 1))
    _install(student, model, [network])
    losses = call_keeping_arguments(model.train, x, y, 3, 4,
                                    what="MLP.train(x, y, 3, 4)")
    steps, last = [], None
    for event in network.events:
        if len(event) == 2:
            last = event
        elif last is not None:
            steps.append((last[0], last[1], event[0]))
    expect(len(steps) == 9,
           f"MLP.train(x, y, 3, 4) (12 点) で backward が {len(steps)} 回呼ばれました。"
           "1 エポックに 12 / 4 = 3 回、3 エポックで 9 回のはずです。",
           f"MLP.train(x, y, 3, 4) on 12 points called backward {len(steps)} times; it should "
           "be 12 / 4 = 3 times an epoch, 9 in all.")
    rows = []
    for v, _, _ in steps:
        found = [int(np.argmin(np.abs(x[:, 0] - value))) for value in v.reshape(-1)]
        expect(v.shape == (4, 1) and np.array_equal(x[found], v),
               "forward に渡すミニバッチは x の batch_size 行にしてください。",
               "Pass batch_size rows of x to forward.")
        rows.append(found)
    orders = [sum(rows[e * 3:(e + 1) * 3], []) for e in range(3)]
    expect(all(sorted(order) == list(range(12)) for order in orders),
           "各エポックで、すべてのサンプルをちょうど 1 回ずつ使ってください。",
           "Use every sample exactly once in each epoch.")
    expect(not all(order == orders[0] for order in orders),
           "ミニバッチが毎エポック同じ順番です。エポックごとに self.rng.permutation で並べ替えて"
           "ください。",
           "The mini-batches come in the same order every epoch. Shuffle with "
           "self.rng.permutation at the start of each epoch.")
    total, error = attempt(fa.squared_error, x.copy(), y.copy())
    sums = [0.5 * float(np.sum((x - y) ** 2)) / k for k in (1, 12)]  # ½ Σ and its mean
    way = None if error is not None else next(
        (i for i, s in enumerate(sums) if math.isclose(float(np.sum(total)), s, rel_tol=1e-9)),
        None)  # your squared_error: 0 the sum, 1 the mean, None neither
    for (_, y_hat, g), r in zip(steps, rows):
        accepted = [y_hat - y[r], (y_hat - y[r]) / 4]  # ½ Σ, or the batch mean
        if not any(g.shape == a.shape and np.allclose(g, a) for a in accepted):
            own, problem = attempt(fa.squared_error_gradient, y_hat.copy(), y[r])
            if problem is None and np.shape(own) == g.shape and np.allclose(g, own):
                continue  # your own squared_error_gradient (judged by its own test)
            expect_array(g, accepted[way or 0], label(
                "MLP.train が backward に渡す勾配 (ŷ - y、バッチ平均なら (ŷ - y) / batch_size)",
                "the gradient MLP.train passes to backward (ŷ - y, or (ŷ - y) / batch_size for "
                "the batch mean)"), batch=4)
    expect_length(losses, 3, label("MLP.train(x, y, 3, 4) の戻り値",
                                   "what MLP.train(x, y, 3, 4) returns"))
    outputs = [x / 2 + 0.01 * 3 * (e + 1) for e in range(3)]  # after each epoch
    expected = [0.5 * float(np.mean((out - y) ** 2)) for out in outputs]
    if error is None and way is None:
        # Your squared_error is neither (its own test says so): E / N by it is accepted.
        mine = [float(np.sum(fa.squared_error(out, y.copy()))) / 12 for out in outputs]
        if np.shape(losses) == (3,) and np.allclose(np.asarray(losses, dtype=float), mine):
            expected = mine
    expect_array(losses, expected,
                 label("MLP.train が返す各エポックの後の E / N (全データ)",
                       "E / N on all the data after each epoch, returned by MLP.train"),
                 batch=12)
