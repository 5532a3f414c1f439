"""公開テスト: scripts/perceptron.py / Public tests for perceptron.py."""

import numpy as np

from checks import expect_array


def _model(pc):
    model = pc.Perceptron(2, 1, learning_rate=0.1, rng=np.random.default_rng(0))
    model.w = np.array([[1.0], [2.0]])
    model.b = np.array([0.5])
    return model


def test_forward(student):
    pc = student("perceptron")
    x = np.array([[1.0, 1.0], [0.0, 2.0]])
    expect_array(_model(pc).forward(x), [[3.5], [4.5]], "Perceptron.forward(x)")


def test_backward_returns_gradient_for_previous_node(student):
    pc = student("perceptron")
    model = _model(pc)
    model.forward(np.array([[1.0, 1.0], [0.0, 2.0]]))
    g = np.array([[1.0], [-1.0]])
    expect_array(model.backward(g), [[1.0, 2.0], [-1.0, -2.0]],
                 "Perceptron.backward(g) = g @ w.T (更新前の w / w before the update)")


def test_mse_backward(student):
    pc = student("perceptron")
    loss = pc.MeanSquaredError()
    loss.forward(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    expect_array(loss.backward(), [[2.0], [4.0]], "MeanSquaredError.backward() = 2 (y - t)")
