"""公開テスト: scripts/simple_net.py / Public tests: SimpleNet (the simpleNet of notebook 2_7).

x は (4, 2)、W は (2, 3) (正方でない) で、W はテストが設定します。損失は、自分の predict の
結果に自分の softmax と cross_entropy_error (layers.py) を使った値とも比べるので、layers.py の
間違いはそのテストだけで数えます。勾配は、自分の loss をテストが数値微分した値と比べます。
x is (4, 2) and W (2, 3), set by the test. The loss is also compared with what your own
softmax and cross_entropy_error give for your predict's scores, so a mistake in layers.py
counts only there; the gradient is compared with the numerical gradient of your own loss.
"""

import numpy as np

from checks import (Mistake, as_array, as_number, expect, expect_array, expect_number,
                    expect_relative, label, numerical_gradient, resolve)

NAMES = ("SimpleNet", "simpleNet", "SimpleNetwork")
X = np.array([[0.6, 0.9], [1.0, 0.2], [0.3, 1.5], [0.8, 0.4]])
W = np.array([[0.5, 1.2, 0.3], [0.9, 0.1, 0.7]])   # x W > 0 everywhere
T = np.eye(3)[[2, 0, 1, 2]]


def _simple_net(student):
    cls, _ = resolve(student("simple_net"), "SimpleNet", "simple_net.py", aliases=NAMES)
    return cls(rng=np.random.default_rng(0))


def _cee(p):
    picked = p[np.arange(len(T)), T.argmax(axis=1)]
    return [float(-np.mean(np.log(picked + 1e-7))), float(-np.mean(np.log(picked)))]


def test_simple_net(student, mistakes):
    """W の形、predict、loss、numerical_gradient / W's shape, predict, loss, the gradient."""
    net = _simple_net(student)
    expect(np.shape(net.W) == (2, 3),
           f"SimpleNet の W の形が {np.shape(net.W)} です。(2, 3) にしてください。",
           f"SimpleNet's W has shape {np.shape(net.W)}; it must be (2, 3).")
    student.assign(net, ["W"], W.copy())
    scores = expect_array(net.predict(X.copy()), X @ W, "SimpleNet.predict(x) = x W")

    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    accepted = _cee(e / e.sum(axis=1, keepdims=True))
    try:  # your own softmax and cross_entropy_error are judged in their own tests
        layers = student("layers")
        own = resolve(layers, "cross_entropy_error", "layers.py")[0](
            resolve(layers, "softmax", "layers.py")[0](scores.copy()), T.copy())
        accepted.append(as_number(own, "loss"))
    except Exception:  # noqa: BLE001 - only used to accept more
        pass
    loss = as_number(net.loss(X.copy(), T.copy()), "SimpleNet.loss(x, t)")
    if not any(np.isclose(loss, a, rtol=1e-9, atol=0) for a in accepted):
        expect_number(
            loss, accepted[0], "SimpleNet.loss(x, t) = cross_entropy_error(softmax(x W), t)",
            mistakes=[(Mistake.from_catalogue(mistakes, "simplenet_loss_no_softmax"), value)
                      for value in sorted(_cee(scores), key=lambda v: abs(v - loss))[:1]])

    def own_loss(w):
        student.assign(net, ["W"], w)
        return as_number(net.loss(X.copy(), T.copy()), "SimpleNet.loss(x, t)")

    expected = numerical_gradient(own_loss, W)
    student.assign(net, ["W"], W.copy())
    grad = as_array(net.numerical_gradient(X.copy(), T.copy()),
                    "SimpleNet.numerical_gradient(x, t)")
    expect_relative(grad, expected, label(
        "SimpleNet.numerical_gradient(x, t) (自分の loss の W についての勾配)",
        "SimpleNet.numerical_gradient(x, t) (the gradient of your loss with respect to W)"),
        max_error=1e-3, batch=len(X),
        mistakes=[(Mistake.from_catalogue(mistakes, "simplenet_gradient_of_copy"),
                   np.zeros((2, 3)))])
