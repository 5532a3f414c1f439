"""公開テスト: Layer (小さな例) / Public tests: the Layer class on small examples.

W は (n_in, n_out): スライドの W_l v_l (列ベクトル) を行に並べたバッチ v で書くと
u = v W + b で、W はスライドの W_l の転置です。
W is (n_in, n_out): the slide's W_l v_l (a column vector) written for a batch v in rows is
u = v W + b, so W is the transpose of the slide's W_l.
"""

import numpy as np

from checks import (attempt, backward_dx, expect, expect_array, expect_number, find_attribute,
                    label, resolve)

WEIGHT_NAMES, BIAS_NAMES = ("W", "w", "weight", "weights"), ("b", "bias")

# A layer 2 -> 3 on a batch of 4. No pre-activation is 0, and b changes none of their signs:
# u = v W + b = [[3.5, -0.25, -0.75], [-0.5, -1.25, 1.25], [4.5, 1.25, -2.25], [1, 1.625, -1.5]]
W0 = np.array([[1.0, -1.0, 0.5], [2.0, 0.5, -1.0]])
B0 = np.array([0.5, 0.25, -0.25])
V = np.array([[1.0, 1.0], [1.0, -1.0], [0.0, 2.0], [-1.0, 0.75]])
G = np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 1.0], [1.0, -1.0, 2.0], [-2.0, 1.0, 0.5]])
LR = 0.1


def _new(student, *args):
    cls, _ = resolve(student("function_approximation"), "Layer", "function_approximation.py")
    return cls(*args)


def _parameters(layer):
    W, weight = find_attribute(layer, WEIGHT_NAMES, "Layer.W")
    b, bias = find_attribute(layer, BIAS_NAMES, "Layer.b")
    return W, b, weight, bias


def _layer(student, activation):
    layer = _new(student, 2, 3, activation, LR, np.random.default_rng(0))
    _, _, weight, bias = _parameters(layer)
    setattr(layer, weight, W0.copy())
    setattr(layer, bias, B0.copy())
    return layer


def test_layer_init(student):
    W, b, _, _ = _parameters(_new(student, 3, 5, "relu", 0.01, np.random.default_rng(0)))
    expect(np.shape(W) != (5, 3),
           "Layer(3, 5) の W の形が (5, 3) です。この課題の W は (n_in, n_out) = (3, 5) で、"
           "スライドの W_l (000 「数式による表現」) の転置です (u = v W + b)。",
           "Layer(3, 5) has W of shape (5, 3). Here W is (n_in, n_out) = (3, 5), the transpose "
           "of the slide's W_l (000 「数式による表現」): u = v W + b.", hint_id="transposed")
    expect(np.shape(W) == (3, 5) and np.shape(b) == (5,),
           f"Layer(3, 5) の W, b の形が {np.shape(W)}, {np.shape(b)} です ((3, 5), (5,) のはず)。",
           f"Layer(3, 5) has W, b of shapes {np.shape(W)}, {np.shape(b)} (expected (3, 5), "
           "(5,)).")
    W, b, _, _ = _parameters(_new(student, 3, 5, "identity", 0.01, np.random.default_rng(0)))
    expect(np.shape(W) == (3, 5) and np.shape(b) == (5,),
           f"Layer(3, 5, 'identity') の W, b の形が {np.shape(W)}, {np.shape(b)} です。",
           f"Layer(3, 5, 'identity') has W, b of shapes {np.shape(W)}, {np.shape(b)}.")
    W, _, _, _ = _parameters(_new(student, 200, 300, "relu", 0.01, np.random.default_rng(1)))
    expect_number(float(np.std(W)), 0.1,
                  label("Layer(200, 300, 'relu') の W の標準偏差 (He: sqrt(2 / 200) = 0.1)",
                        "the standard deviation of W of Layer(200, 300, 'relu') (He: "
                        "sqrt(2 / 200) = 0.1)"), rtol=0.1)


def test_layer_forward(student):
    expect_array(_layer(student, "relu").forward(V.copy()),
                 [[3.5, 0.0, 0.0], [0.0, 0.0, 1.25], [4.5, 1.25, 0.0], [1.0, 1.625, 0.0]],
                 "Layer(2, 3, 'relu').forward(v)")
    expect_array(_layer(student, "identity").forward(V.copy()),
                 [[3.5, -0.25, -0.75], [-0.5, -1.25, 1.25], [4.5, 1.25, -2.25],
                  [1.0, 1.625, -1.5]], "Layer(2, 3, 'identity').forward(v)")


def test_layer_backward(student):
    """ReLU: delta = g * f'(u) = [[1, 0, 0], [0, 0, 1], [1, -1, 0], [-2, 1, 0]]."""
    cases = {
        "relu": ([[1.0, 2.0], [0.5, -1.0], [2.0, 1.5], [-3.0, -3.5]],
                 [[0.7, 1.85], [0.4, -0.9], [1.6, 1.225], [-2.3, -3.075]],
                 [[0.7, -0.9, 0.4], [1.85, 0.625, -0.9]],
                 [0.5, 0.25, -0.35], [0.4, 0.15, -0.35]),
        "identity": ([[-1.5, 4.0], [0.0, 0.5], [3.0, -0.5], [-2.75, -4.0]],
                     [[-2.3, 4.1875], [-0.325, 0.2375], [2.95, -1.1], [-2.225, -3.89375]],
                     [[0.65, -1.2, 0.55], [1.9, 0.525, -1.2375]],
                     [0.45, -0.05, -0.5], [-0.1, -0.35, -0.85]),
    }
    for activation, (returned, updated_first, new_W, new_b, summed_all) in cases.items():
        layer = _layer(student, activation)
        layer.forward(V.copy())
        name = f"Layer(2, 3, {activation!r})"
        result = backward_dx(layer.backward(G.copy()), f"{name}.backward(g)")
        expect_array(result, returned,
                     label(f"{name}.backward(g) の戻り値 (前のレイヤへの勾配 delta Wᵀ)",
                           f"{name}.backward(g) return value (the gradient delta Wᵀ for the "
                           "previous layer)"), variants=[("updated_first", updated_first)])
        W, b, _, _ = _parameters(layer)
        expect_array(W, new_W, label(f"backward の後の {name}.W (W - lr vᵀ delta)",
                                     f"{name}.W after backward (W - lr vᵀ delta)"))
        expect_array(b, new_b, label(f"backward の後の {name}.b (b - lr Σ delta)",
                                     f"{name}.b after backward (b - lr Σ delta)"),
                     variants=[("summed_all", summed_all)])
    # u = v W + b = [[0, 0.75, -0.5], [3.5, -0.25, -0.75]]: u[0, 0] is exactly 0, where the
    # slide's ReLU'(0) = 0 holds. Checked when your relu_derivative gives 0 at 0 (else
    # test_relu_and_derivative has already said so).
    at_zero, error = attempt(student("function_approximation").relu_derivative,
                             np.array([[0.0]]))
    if error is None and np.size(at_zero) == 1 and float(np.sum(at_zero)) == 0.0:
        layer = _layer(student, "relu")
        layer.forward(np.array([[-0.5, 0.0], [1.0, 1.0]]))
        result = backward_dx(layer.backward(np.ones((2, 3))), "Layer.backward(g)")
        expect_array(result, [[-1.0, 0.5], [1.0, 2.0]],
                     label("u = 0 があるときの Layer(2, 3, 'relu').backward(g) の戻り値 "
                           "(ReLU'(0) = 0)",
                           "Layer(2, 3, 'relu').backward(g) return value where u = 0 "
                           "(ReLU'(0) = 0)"))
