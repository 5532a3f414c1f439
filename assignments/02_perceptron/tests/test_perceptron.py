"""公開テスト: scripts/perceptron.py / Public tests for perceptron.py.

形がすべて違う小さな例 (N = 4 個のデータ、入力 3、出力 2) を使うので、x @ g と x.T @ g の
ような取り違えも見つかります。
The small example has a different size along every axis (N = 4 samples, 3 inputs,
2 outputs), so that x @ g cannot pass for x.T @ g.
"""

import numpy as np

from checks import (as_array, backward_dx, expect, expect_array, expect_length, expect_number,
                    find_attribute, label)

X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0], [2.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
W = np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.0]])
B = np.array([0.5, -0.5])
G = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0], [0.5, 0.5]])
LR = 0.1


def _model(pc):
    model = pc.Perceptron(3, 2, learning_rate=LR, rng=np.random.default_rng(0))
    model.w = W.copy()
    model.b = B.copy()
    model.lr = LR
    return model


def test_init(student):
    pc = student("perceptron")
    model = pc.Perceptron(3, 2, learning_rate=0.05, rng=np.random.default_rng(0))
    w, b = np.asarray(model.w), np.asarray(model.b)
    expect(w.shape == (3, 2), f"Perceptron(3, 2).w の形が {w.shape} です。(3, 2) にしてください。",
           f"Perceptron(3, 2).w has shape {w.shape}; it must be (3, 2).",
           hint_id="transposed" if w.shape == (2, 3) else None)
    expect(b.shape == (2,), f"Perceptron(3, 2).b の形が {b.shape} です。(2,) にしてください。",
           f"Perceptron(3, 2).b has shape {b.shape}; it must be (2,).")
    expect_number(model.lr, 0.05, "Perceptron(3, 2, learning_rate=0.05).lr")


def test_forward(student):
    pc = student("perceptron")
    expect_array(_model(pc).forward(X.copy()), X @ W + B, "Perceptron.forward(x)")


def test_backward(student):
    """戻り値 g @ w.T (更新前の w)、g_w と g_b (和または平均)、更新 w - lr g_w."""
    pc = student("perceptron")
    model = _model(pc)
    model.forward(X.copy())
    returned = backward_dx(model.backward(G.copy()), "Perceptron.backward(g)")
    updated = [G @ (W - LR * X.T @ G / n).T for n in (1, len(X))]
    expect_array(returned, G @ W.T, label("Perceptron.backward(g) の戻り値 g @ w.T (更新前の w)",
                                          "Perceptron.backward(g) returns g @ w.T (w before "
                                          "the update)"),
                 variants=[("updated_first", value) for value in updated])
    g_w = as_array(find_attribute(model, ["g_w"], "Perceptron.g_w")[0], "Perceptron.g_w")
    g_b = as_array(find_attribute(model, ["g_b"], "Perceptron.g_b")[0], "Perceptron.g_b")
    n = len(X)
    mean = g_w.shape == (3, 2) and np.allclose(g_w, X.T @ G / n)
    scale = 1 / n if mean else 1.0
    name = label("平均" if mean else "和", "mean" if mean else "sum")
    expect_array(g_w, X.T @ G * scale,
                 label(f"Perceptron.g_w ({name['ja']}: x.T @ g{' / N' if mean else ''})",
                       f"Perceptron.g_w ({name['en']}: x.T @ g{' / N' if mean else ''})"),
                 batch=n)
    expect_array(g_b, G.sum(axis=0) * scale,
                 label(f"Perceptron.g_b ({name['ja']}: 行方向の Σ g{' / N' if mean else ''})",
                       f"Perceptron.g_b ({name['en']}: Σ g over the rows"
                       f"{' / N' if mean else ''})"), batch=n)
    expect_array(model.w, W - LR * g_w, "Perceptron.w (w - lr g_w)")
    expect_array(model.b, B - LR * g_b, "Perceptron.b (b - lr g_b)")


def test_mse_forward(student):
    pc = student("perceptron")
    y, t = np.array([[1.0], [3.0], [0.0], [2.0]]), np.array([[0.0], [1.0], [0.0], [4.0]])
    expect_number(pc.MeanSquaredError().forward(y, t), (1 + 4 + 0 + 4) / 4,
                  "MeanSquaredError.forward(y, t) = (1/N) Σ (y - t)^2", batch=4)


def test_mse_backward(student):
    pc = student("perceptron")
    loss = pc.MeanSquaredError()
    loss.forward(np.array([[1.0], [3.0], [0.0]]), np.array([[0.0], [1.0], [1.0]]))
    expect_array(loss.backward(), [[2.0], [4.0], [-2.0]],
                 "MeanSquaredError.backward() = 2 (y - t)", batch=3)


class _Model:
    """テスト用の代役のモデル (パーセプトロンではない) / a stand-in model (not a perceptron)."""

    def __init__(self, log):
        self.log = log
        self.k = 1.0

    def forward(self, x):
        self.log.append("model.forward")
        return x * self.k

    def backward(self, g):
        self.log.append("model.backward")
        self.k = self.k - 0.25 * float(np.sum(g))
        return g


class _Loss:
    """テスト用の代役の誤差関数 / a stand-in loss function."""

    def __init__(self, log):
        self.log = log
        self.diff = None

    def forward(self, y, t):
        self.log.append("loss.forward")
        self.diff = y - t
        return float(np.sum(np.abs(self.diff)))

    def backward(self):
        self.log.append("loss.backward")
        return np.sign(self.diff)


def test_train(student):
    pc = student("perceptron")
    log = []
    losses = pc.train(np.array([[1.0], [2.0]]), np.array([[3.0], [3.0]]), _Model(log),
                      _Loss(log), 3)
    expect_length(losses, 3, "train(x, t, model, loss_fn, 3)")
    expect_array(as_array(losses, "train(...)").ravel(), [3.0, 1.5, 1.75],
                 label("train の戻り値 (各回の更新の前の誤差)",
                       "train's return value (the loss before each update)"))
    order = ["model.forward", "loss.forward", "loss.backward", "model.backward"]
    expect(log == order * 3,
           "train の呼び出しの順番が違います。各回で model.forward → loss_fn.forward → "
           "loss_fn.backward → model.backward (その g を渡す) の順に 1 回ずつ呼んでください。",
           "train calls things in the wrong order. Each iteration: model.forward -> "
           "loss_fn.forward -> loss_fn.backward -> model.backward (given that g), once each.")


def test_function1(student):
    """a を 3 から 2.9 に更新し、g a を返す (更新前の a でも、スライドの順のとおり更新後の
    a でもよい) / updates a from 3 to 2.9 and returns g a (with the old a, or with the new
    a in the slide's literal order)."""
    pc = student("perceptron")
    node = pc.Function1(a=3.0, learning_rate=0.1)
    expect_number(node.forward(2.0), 6.0, "Function1(a=3).forward(2.0)")
    returned = node.backward(0.5)
    expect_number(node.g_a, 0.5 * 2.0, "Function1.g_a = g x")
    expect_number(node.a, 3.0 - 0.1 * 1.0, "Function1.a (a - lr g_a)")
    expect_number(returned, 0.5 * (2.9 if _is(returned, 0.5 * 2.9) else 3.0),
                  label("Function1.backward(g) の戻り値 (g a)",
                        "Function1.backward(g), the returned g a"),
                  variants=[("wrong_parameter", 0.5 * 2.0)])


def _is(value, number):
    try:
        return bool(np.size(value) == 1 and np.isclose(float(np.ravel(value)[0]), number))
    except (TypeError, ValueError):
        return False
