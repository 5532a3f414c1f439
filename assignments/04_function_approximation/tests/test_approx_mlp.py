"""公開テスト: MLP / Public tests: the MLP."""

import numpy as np

from checks import expect, expect_length, resolve


def test_mlp_forward_shape(student):
    cls, _ = resolve(student("function_approximation"), "MLP", "function_approximation.py")
    model = cls([1, 8, 8, 1], 0.01, np.random.default_rng(0))
    y = model.forward(np.linspace(-1, 1, 5).reshape(-1, 1))
    expect(np.shape(y) == (5, 1), f"MLP.forward の出力の形が {np.shape(y)} です ((5, 1) のはず)。",
           f"MLP.forward returns shape {np.shape(y)} (expected (5, 1)).")


def test_mlp_train_decreases_loss(student):
    fa = student("function_approximation")
    cls, _ = resolve(fa, "MLP", "function_approximation.py")
    x, y = fa.make_dataset(100, np.random.default_rng(1))
    model = cls([1, 16, 16, 1], 0.003, np.random.default_rng(2))
    losses = model.train(x, y, 50, 10)
    expect_length(losses, 50, "MLP.train(x, y, 50, 10) (losses)")
    expect(float(losses[-1]) < 0.5 * float(losses[0]),
           f"50 エポックで損失が半分になっていません ({float(losses[0]):.4f} → "
           f"{float(losses[-1]):.4f})。",
           f"The loss did not halve in 50 epochs ({float(losses[0]):.4f} -> "
           f"{float(losses[-1]):.4f}).")
