"""公開テスト: scripts/ct_classifier.py / Public tests for ct_classifier.py.

実行方法 / run:  uv run pytest   (または / or: pytest)

出力と誤差は softmax + 交差エントロピー誤差 でも sigmoid + 2乗誤差 でも、誤差はパターンの
総和でも平均でも合格します (TASK 参照)。重みはテストが設定します。
Either output/error pair (softmax + cross-entropy, sigmoid + squared error) and either
total (sum or mean over the patterns) passes (see TASK). The tests set the weights.
"""

import numpy as np

from checks import (as_array, as_number, attempt, call_keeping_arguments, expect,
                    expect_array, expect_gradients, expect_length, expect_number, expect_png,
                    label, numerical_gradient)

C = np.array([0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1], dtype=float)
T = np.array([1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0], dtype=float)
NOISY = np.array([0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1], dtype=float)  # C + 3 つの点 / 3 dots
X = np.array([C, T, NOISY])                        # 3 パターン / 3 patterns: (3, 12)
T_ONE_HOT = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])

# 小さな例と答え / small examples with their answers
THRESHOLD_IN = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
THRESHOLD_OUT = np.array([[1.0, 0.0, 1.0, -1.0], [0.0, 1.0, 1.0, -1.0]])
U = np.array([[0.0, np.log(3.0), -np.log(3.0)], [np.log(4.0), -np.log(4.0), 0.0]])
SIGMOID_U = np.array([[0.5, 0.75, 0.25], [0.8, 0.2, 0.5]])
A = np.array([[0.0, np.log(3.0)], [2.0, 2.0], [np.log(4.0), 0.0]])
SOFTMAX_A = np.array([[0.25, 0.75], [0.5, 0.5], [0.8, 0.2]])
Y = np.array([[0.5, 0.5], [0.2, 0.8], [0.75, 0.25]])
# -Σ t log y = log 2 + log 1.25 + log(4/3) = log(10/3);  ½ Σ (t - y)^2 = 0.3525
CROSS_ENTROPY = {"sum": float(np.log(10 / 3)), "mean": float(np.log(10 / 3) / 3)}
SQUARED_ERROR = {"sum": 0.3525, "mean": 0.1175}


def _which(value, table, rtol=1e-6):
    """The key of ``table`` whose value ``value`` equals (None when none does)."""
    return next((key for key, number in table.items()
                 if np.isclose(value, number, rtol=rtol, atol=1e-12)), None)


def _nearest(value, table):
    """The accepted value to compare with: one that ``value`` is a simple multiple of
    (2, ½, -1), else the nearest by ratio."""
    for number in table.values():
        if any(np.isclose(value, factor * number, rtol=1e-6) for factor in (2.0, 0.5, -1.0)):
            return number
    size = abs(value) if value else 1.0
    return min(table.values(), key=lambda number: abs(np.log(size / abs(number))))


def _weights(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((13, 3)), scale * rng.standard_normal((4, 2))


def _net(ct, weights, lr=1.0):
    """A CTNet of yours with the test's weights."""
    net = ct.CTNet(np.random.default_rng(0), learning_rate=lr)
    net.W1, net.W2 = weights[0].copy(), weights[1].copy()
    net.lr = lr
    return net


def _number(value):
    """The value as a float, or None when it is not one number."""
    try:
        return float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return None


def _matches(function, argument, expected):
    """Whether your function gives the example's answer (False when it raised; True when
    it is not written yet: softmax is not needed by sigmoid outputs)."""
    try:
        value, error = attempt(function, argument.copy())
    except NotImplementedError:
        return True
    except Exception as error:  # noqa: BLE001 - "not implemented" as grading reports it
        if str(getattr(error, "status", "")) == "not_implemented":
            return True
        raise
    if error is not None:
        return False
    value = np.asarray(value, dtype=float)
    return value.shape == expected.shape and bool(np.allclose(value, expected, rtol=1e-6))


# ----------------------------------------------------------------------------- functions


def test_with_threshold_input(student):
    ct = student("ct_classifier")
    what = label("with_threshold_input([[1, 0, 1], [0, 1, 1]]) (最後の列に -1)",
                 "with_threshold_input([[1, 0, 1], [0, 1, 1]]) (-1 as the last column)")
    expect_array(call_keeping_arguments(ct.with_threshold_input, THRESHOLD_IN.copy(),
                                        what=what), THRESHOLD_OUT, what, rtol=0, atol=0)


def test_sigmoid(student):
    ct = student("ct_classifier")
    what = "sigmoid([[0, log 3, -log 3], [log 4, -log 4, 0]])"
    expect_array(call_keeping_arguments(ct.sigmoid, U.copy(), what=what), SIGMOID_U, what)


def test_softmax(student):
    ct = student("ct_classifier")
    what = label("softmax([[0, log 3], [2, 2], [log 4, 0]]) (行ごと)",
                 "softmax([[0, log 3], [2, 2], [log 4, 0]]) (per row)")
    expect_array(call_keeping_arguments(ct.softmax, A.copy(), what=what), SOFTMAX_A, what)


def test_cross_entropy(student):
    ct = student("ct_classifier")
    what = label("cross_entropy(y, t) (3 パターン、総和 log(10/3) または平均)",
                 "cross_entropy(y, t) (3 patterns, the sum log(10/3) or the mean)")
    value = as_number(call_keeping_arguments(ct.cross_entropy, Y.copy(), T_ONE_HOT.copy(),
                                             what=what), what)
    if _which(value, CROSS_ENTROPY) is None:
        expect_number(value, _nearest(value, CROSS_ENTROPY), what, rtol=1e-6, batch=3)


def test_squared_error(student):
    ct = student("ct_classifier")
    what = label("squared_error(y, t) (3 パターン、総和 0.3525 または平均)",
                 "squared_error(y, t) (3 patterns, the sum 0.3525 or the mean)")
    value = as_number(call_keeping_arguments(ct.squared_error, Y.copy(), T_ONE_HOT.copy(),
                                             what=what), what)
    if _which(value, SQUARED_ERROR) is None:
        expect_number(value, _nearest(value, SQUARED_ERROR), what, rtol=1e-6, batch=3)


# ----------------------------------------------------------------------------- CTNet


def test_init(student):
    ct = student("ct_classifier")
    net = ct.CTNet(np.random.default_rng(0), learning_rate=0.3)
    w1, w2 = as_array(net.W1, "CTNet.W1"), as_array(net.W2, "CTNet.W2")
    expect(w1.shape == (13, 3) and w2.shape == (4, 2),
           f"W1, W2 の形が {w1.shape}, {w2.shape} です (期待 (13, 3), (4, 2): 47 個)。",
           f"W1 and W2 have shapes {w1.shape} and {w2.shape} (expected (13, 3) and (4, 2): "
           "47 parameters).")
    expect_number(net.lr, 0.3, "CTNet(rng, learning_rate=0.3).lr")


def test_forward(student):
    """forward が補助関数をスライドの順につないでいるか (補助関数はそれぞれのテストで確かめます)。

    Does forward chain the functions as the slides do (each is checked by its own test)?
    """
    ct = student("ct_classifier")
    weights = _weights(1)
    what = label("CTNet.forward(x) (3 パターン、テストが設定した重み)",
                 "CTNet.forward(x) (3 patterns, weights set by the test)")
    y = as_array(call_keeping_arguments(_net(ct, weights).forward, X.copy(), what=what), what)
    expect(y.shape == (3, 2), f"CTNet.forward(x) の形が {y.shape} です (期待 (3, 2))。",
           f"CTNet.forward(x) returned shape {y.shape} (expected (3, 2)).")
    hidden = np.asarray(ct.sigmoid(np.asarray(ct.with_threshold_input(X.copy())) @ weights[0]))
    s = np.asarray(ct.with_threshold_input(hidden)) @ weights[1]
    outputs = {"sigmoid": ct.sigmoid(s.copy())}
    if not np.allclose(y, np.asarray(outputs["sigmoid"], dtype=float), rtol=1e-7):
        outputs = {"softmax": ct.softmax(s.copy())}
    kind, expected = next(iter(outputs.items()))
    expect_array(y, expected, label(
        f"CTNet.forward(x): {kind}(z̃ @ W2)、z̃ は sigmoid(x̃ @ W1) に -1 を付けたもの "
        "(あなたの関数で計算)",
        f"CTNet.forward(x): {kind}(z̃ @ W2), z̃ = sigmoid(x̃ @ W1) with -1 appended "
        "(computed with your functions)"))


def test_error(student):
    ct = student("ct_classifier")
    net = _net(ct, _weights(2))
    what = label("CTNet.error(y, t) (3 パターン: cross_entropy か squared_error)",
                 "CTNet.error(y, t) (3 patterns: cross_entropy or squared_error)")
    value = as_number(call_keeping_arguments(net.error, Y.copy(), T_ONE_HOT.copy(),
                                             what=what), what)
    accepted = {**{("cross_entropy", k): v for k, v in CROSS_ENTROPY.items()},
                **{("squared_error", k): v for k, v in SQUARED_ERROR.items()}}
    if _which(value, accepted) is not None:
        return
    # error が cross_entropy か squared_error をそのまま返していれば合格 (それぞれのテストで確認)
    for helper in (ct.cross_entropy, ct.squared_error):
        own, error = attempt(helper, Y.copy(), T_ONE_HOT.copy())
        if error is None and _number(own) is not None and np.isclose(_number(own), value,
                                                                     rtol=1e-9):
            return
    expect_number(value, _nearest(value, accepted), what, rtol=1e-6, batch=3)


def test_backward(student):
    """backward の勾配を、あなたの forward と error の数値微分 (中心差分) と比べ、更新も確かめます。

    Compares backward's gradients with the numerical gradient (central differences) of
    your own forward and error, then checks the update W - lr g.
    """
    ct = student("ct_classifier")
    weights = _weights(3)
    probe = _net(ct, weights, lr=0.0)
    y = as_array(probe.forward(X.copy()), "CTNet.forward(x)")
    expect(y.shape == (3, 2), f"CTNet.forward(x) の形が {y.shape} です (期待 (3, 2))。",
           f"CTNet.forward(x) returned shape {y.shape} (expected (3, 2)).")
    examples = [(ct.with_threshold_input, THRESHOLD_IN, THRESHOLD_OUT), (ct.sigmoid, U, SIGMOID_U),
                (ct.softmax, A, SOFTMAX_A)]
    accepted = [*CROSS_ENTROPY.values(), *SQUARED_ERROR.values()]
    value, failed = attempt(probe.error, Y.copy(), T_ONE_HOT.copy())
    value = None if failed is not None else _number(value)
    if value is None or not any(np.isclose(value, number, rtol=1e-6) for number in accepted) \
            or not all(_matches(*example) for example in examples):
        return  # その関数のテストが失敗を伝えます / that function's own test reports it

    def error_with(name, w):
        probe.W1, probe.W2 = weights[0].copy(), weights[1].copy()
        setattr(probe, name, w)
        return probe.error(probe.forward(X.copy()), T_ONE_HOT.copy())

    numerical = {"W2": numerical_gradient(lambda w: error_with("W2", w), weights[1]),
                 "W1": numerical_gradient(lambda w: error_with("W1", w), weights[0])}
    lr = 0.5
    net = _net(ct, weights, lr=lr)
    net.forward(X.copy())
    call_keeping_arguments(net.backward, T_ONE_HOT.copy(), what="CTNet.backward(t)")
    gradients = {name: as_array(getattr(net, f"g_{name}"), f"CTNet.g_{name}")
                 for name in ("W2", "W1")}
    expect_gradients(gradients, numerical, label(
        "CTNet.backward の g_W2, g_W1 (あなたの forward と error の数値微分と比較)",
        "CTNet.backward's g_W2, g_W1 (against the numerical gradient of your forward and "
        "error)"), max_error=1e-4, batch=3)
    for name, before in (("W2", weights[1]), ("W1", weights[0])):
        expect_array(getattr(net, name), before - lr * gradients[name], label(
            f"backward の後の CTNet.{name} ({name} - lr g_{name}, lr = {lr})",
            f"CTNet.{name} after backward ({name} - lr g_{name}, lr = {lr})"))


def test_predict_accuracy(student):
    ct = student("ct_classifier")
    net = _net(ct, _weights(9))
    y = as_array(net.forward(X.copy()), "CTNet.forward(x)")
    what = label("CTNet.predict(x) (0 = C, 1 = T: forward の y の大きい方)",
                 "CTNet.predict(x) (0 = C, 1 = T: the larger output of forward)")
    labels = np.argmax(y, axis=1)
    expect_array(call_keeping_arguments(net.predict, X.copy(), what=what), labels, what,
                 rtol=0, atol=0)
    t = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    what = label("CTNet.accuracy(x, t) (0 から 1 の割合)",
                 "CTNet.accuracy(x, t) (a fraction, 0 to 1)")
    expect_number(call_keeping_arguments(net.accuracy, X.copy(), t.copy(), what=what),
                  float(np.mean(labels == np.argmax(t, axis=1))), what, batch=3)


def test_train(student):
    """train は各回の *更新の前* に self.error(y, t) を記録します (あなたの forward, error,
    backward で確かめます)。train records self.error(y, t) *before* each update."""
    ct = student("ct_classifier")
    weights = _weights(5, scale=0.5)
    what = label("CTNet.train(x, t, 4) の戻り値 (各回の更新の前の誤差)",
                 "CTNet.train(x, t, 4) (the error before each update)")
    losses = call_keeping_arguments(_net(ct, weights).train, X.copy(), T_ONE_HOT.copy(), 4,
                                    what=what)
    expect_length(losses, 4, what)
    twin = _net(ct, weights)
    expected = []
    for _ in range(4):
        expected.append(as_number(twin.error(twin.forward(X.copy()), T_ONE_HOT.copy()),
                                  "CTNet.error(y, t)"))
        twin.backward(T_ONE_HOT.copy())
    expect_array(as_array(losses, what), expected, what)


def _first_new_low(losses):
    """An index k > 0 where losses[k] is below every earlier value (the middle one
    preferred), or None: with ε between the two, E < ε happens first at k."""
    order = sorted(range(1, len(losses)), key=lambda k: abs(k - len(losses) // 2))
    return next((k for k in order if losses[k] < min(losses[:k])), None)


def test_train_until(student):
    """train_until はスライド 001 「機械学習のアルゴリズム algorithm」 の手順 2〜5 です
    (あなたの forward, error, backward で確かめます)。E < ε になった回で、更新せずに止まります。

    train_until stops as soon as E < ε, without updating in that iteration; otherwise it
    runs max_iteration iterations (checked with your own forward, error and backward).
    """
    ct = student("ct_classifier")
    weights = _weights(7, scale=0.5)
    most = 8
    twin = _net(ct, weights)
    losses_own, weights_own = [], []
    for _ in range(most + 1):  # the errors and the weights before each update
        weights_own.append((np.array(twin.W1, dtype=float), np.array(twin.W2, dtype=float)))
        losses_own.append(as_number(twin.error(twin.forward(X.copy()), T_ONE_HOT.copy()),
                                    "CTNet.error(y, t)"))
        twin.backward(T_ONE_HOT.copy())
    if not np.all(np.isfinite(losses_own)):
        return  # forward や error のテストが失敗を伝えます / their own tests report it
    stop = _first_new_low(losses_own[:most])
    # (ε, number of errors recorded, whether it stops because E < ε)
    cases = [(min(losses_own) - abs(min(losses_own)) - 1.0, most, False)]
    if stop is not None:
        cases.insert(0, ((losses_own[stop] + min(losses_own[:stop])) / 2, stop + 1, True))
    for epsilon, count, reached in cases:
        net = _net(ct, weights)
        what = label(f"CTNet.train_until(x, t, epsilon={epsilon:.6g}, max_iteration={most})"
                     + (f" ({count} 回目の E が ε より小さい)" if reached else
                        " (E < ε にならない)"),
                     f"CTNet.train_until(x, t, epsilon={epsilon:.6g}, max_iteration={most})"
                     + (f" (the E of iteration {count} is below ε)" if reached else
                        " (E never gets below ε)"))
        losses = as_array(call_keeping_arguments(net.train_until, X.copy(), T_ONE_HOT.copy(),
                                                 epsilon, most, what=what), what)
        expected = losses_own[:count]
        if reached and losses.shape == (count - 1,) and np.allclose(losses, expected[:-1]):
            expect(False, f"{what['ja']}: ε より小さくなった E が losses にありません。E を"
                   "記録してから E < ε を確かめてください。",
                   f"{what['en']}: the E below ε is missing from losses. Record E, then "
                   "check E < ε.")
        if reached and losses.shape == (most,) and count < most and \
                np.allclose(losses[:count], expected):
            expect(False, f"{what['ja']}: E < ε になっても止まっていません (最後まで "
                   "くり返しています)。",
                   f"{what['en']}: it does not stop when E < ε (it runs every iteration).")
        expect_array(losses, expected, what)
        after = weights_own[count - 1] if reached else weights_own[most]
        for index, name in ((1, "W2"), (0, "W1")):
            expect_array(getattr(net, name), after[index], label(
                f"train_until の後の CTNet.{name} (E < ε になった重みのまま。止まった後に"
                "更新しない)" if reached else
                f"train_until の後の CTNet.{name} ({most} 回更新した重み)",
                f"CTNet.{name} after train_until (the weights whose E was below ε: no "
                "update after the stop)" if reached else
                f"CTNet.{name} after train_until (after {most} updates)"))


def test_plot_training(student):
    """plot_training が outputs/ct_training.png に図を保存するか (図の中身は TA が見ます)。

    Does plot_training save a figure as outputs/ct_training.png? (TAs look at it.)
    """
    ct = student("ct_classifier")
    student.remove_output("ct_training.png")  # an earlier run's does not count
    losses = [0.9, 0.5, 0.3, 0.12, 0.06, 0.03, 0.015]
    ct.plot_training(losses, 0.02, {"ct_train": 1.0, "ct_test": 0.925})
    expect_png(student.read_output("ct_training.png"),
               label("plot_training(losses, 0.02, accuracies) の図 outputs/ct_training.png",
                     "The figure outputs/ct_training.png of plot_training(losses, 0.02, "
                     "accuracies)"))
