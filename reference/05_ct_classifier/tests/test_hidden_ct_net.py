"""Hidden tests: CTNet in scripts/ct_classifier.py.

Every test sets the weights itself (net.W1 = ..., net.W2 = ...), never relying on the
student's random draws, and judges one unit:

* test_init: shapes, random, learning rate; recognises the initial values' scale
  (std 1 or Xavier: convention ``initial_values``; anything else random is accepted).
* test_forward: the wiring of forward, with the module's helpers (with_threshold_input,
  sigmoid, softmax) replaced by the reference's while it runs, so a helper's mistake is
  graded by the helper's test only. Softmax or sigmoid outputs, whichever the values show.
* test_error: CTNet.error is the cross-entropy or the squared error, summed or averaged
  over the patterns (recognised from its value: convention ``total_error``), or whatever
  the student's own cross_entropy / squared_error returns (those have their own tests).
* test_backward_gradients: g_W2, g_W1 against the numerical gradient (central
  differences) of the student's *own* forward (reference helpers inside) and the
  student's *own* error (the accepted form its value shows; when it shows none, the form
  of the output's pair that fits the gradients best). Recognises ``output_error`` and
  ``total_error``. Self-consistency first: a mean error with a summed gradient is N
  times off (factor_batch), whatever the reference chose.
* test_backward_update, test_predict_accuracy, test_train: the student's own gradients,
  forward and components are the yardstick, so their mistakes cost once.
* test_train_until: the stopping rule of 001 「機械学習のアルゴリズム algorithm」 (E < ε),
  judged against a run of the student's own forward, error and backward (ε is chosen
  from that run, so it is compared with the student's own E, sum or mean): what it
  records, when it stops, that nothing is updated after the stop.
"""

import contextlib

import numpy as np

from checks import (Mistake, as_array, as_number, attempt, call_keeping_arguments, expect,
                    expect_array, expect_gradients, expect_length, expect_number, label,
                    relative_error)

PATTERN_C = np.array([0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1], dtype=float)
PATTERN_T = np.array([1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0], dtype=float)
SHAPES = {"W1": (13, 3), "W2": (4, 2)}
HELPERS = ("with_threshold_input", "sigmoid", "softmax")
#: The error that goes with each kind of output, and the convention the pair is.
PAIRED_ERROR = {"softmax": "cross_entropy", "sigmoid": "squared_error"}
FORMS = [(error, total) for error in ("cross_entropy", "squared_error")
         for total in ("sum", "mean")]
OUTPUT_ERROR = {("softmax", "cross_entropy"): "softmax_cross_entropy",
                ("sigmoid", "squared_error"): "sigmoid_squared_error"}


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _weights(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal(SHAPES["W1"]), scale * rng.standard_normal(SHAPES["W2"])


def _covering_batch():
    """C, T and three noisy letters: every pixel is 1 in some pattern, so every row of
    g_W1 is exercised (a wrong block shows as a block, not as "some rows")."""
    x = np.array([PATTERN_C, PATTERN_T, PATTERN_C, PATTERN_T, PATTERN_C])
    for row, pixel in ((2, 5), (3, 9), (4, 8)):
        x[row, pixel] = 1 - x[row, pixel]
    return x, np.eye(2)[[0, 1, 0, 1, 0]]


def _batch(seed, n=6):
    """C and T, then letters with one random pixel flipped; one-hot targets."""
    rng = np.random.default_rng(seed)
    labels = np.concatenate([[0, 1], rng.integers(0, 2, n - 2)])
    x = np.array([(PATTERN_C, PATTERN_T)[label].copy() for label in labels])
    for row in x[2:]:
        pixel = rng.integers(0, 12)
        row[pixel] = 1 - row[pixel]
    return x, np.eye(2)[labels]


def _model(W1, W2, x, t, output="softmax", total="mean", *, sign=-1.0,
           derivative="z(1-z)", early_lr=None, softmax="rows", extra_derivative=False):
    """(y, g_W1, g_W2) in a convention, or with one of the known mistakes."""
    constant = np.full((len(x), 1), sign)
    xb = np.hstack([x, constant])
    z = 1 / (1 + np.exp(-(xb @ W1)))
    zb = np.hstack([z, constant])
    s = zb @ W2
    if output == "sigmoid":
        y = 1 / (1 + np.exp(-s))
        delta2 = (y - t) * y * (1 - y)
    else:
        e = np.exp(s - (s.max(axis=1, keepdims=True) if softmax == "rows" else s.max()))
        y = e / (e.sum(axis=1, keepdims=True) if softmax == "rows" else e.sum())
        delta2 = (y - t) * (y * (1 - y) if extra_derivative else 1.0)
    delta2 = delta2 / (len(x) if total == "mean" else 1)
    g_W2 = zb.T @ delta2
    W2_back = W2 - early_lr * g_W2 if early_lr is not None else W2
    local = z * (1 - z) if derivative == "z(1-z)" else z
    g_W1 = xb.T @ ((delta2 @ W2_back[:-1].T) * local)
    return y, g_W1, g_W2


def _errors(y, t, delta=1e-7):
    """Every accepted form of E for outputs y: {(error, total): value}. The numerical
    gradients use delta = 0: the exact cross-entropy, whose gradient is y - t (the + 1e-7
    moves it by about 1e-7 / y, within the tolerance either way)."""
    cross = float(-np.sum(t * np.log(np.where(t > 0, y, 1.0) + delta)))
    squared = float(0.5 * np.sum((t - y) ** 2))
    n = len(y)
    return {("cross_entropy", "sum"): cross, ("cross_entropy", "mean"): cross / n,
            ("squared_error", "sum"): squared, ("squared_error", "mean"): squared / n}


def _form_of(value, y, t, rtol=1e-4):
    """The accepted form (error, total) the value of an error is, or None."""
    if value is None or not np.isfinite(value):
        return None
    return next((form for form, number in _errors(y, t).items()
                 if np.isclose(value, number, rtol=rtol, atol=1e-12)), None)


def _output_kind(y):
    """Softmax outputs add up to 1 in every row; sigmoid outputs do not."""
    y = np.asarray(y, dtype=float)
    return "softmax" if y.ndim == 2 and np.allclose(y.sum(axis=1), 1.0) else "sigmoid"


def _number(value):
    try:
        return float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return None


def _quietly(function, *args):
    """What the student's function returns, or None when it raised or is not written."""
    try:
        value, error = attempt(function, *args)
    except NotImplementedError:
        return None
    except Exception as error:  # noqa: BLE001 - "not implemented" as reported by grading
        if str(getattr(error, "status", "")) == "not_implemented":
            return None
        raise
    return None if error is not None else value


@contextlib.contextmanager
def _reference_helpers(ct, ref):
    """The module's helpers replaced by the reference's while a test of CTNet runs (and
    put back after), so the CTNet test judges the class, not the helpers."""
    saved = {}
    for name in HELPERS:
        try:
            saved[name] = getattr(ct, name)
        except Exception:  # noqa: BLE001 - a helper the student did not define
            continue
        setattr(ct, name, getattr(ref, name))
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(ct, name, original)


def _student_net(ct, W1, W2, lr):
    """A CTNet of the student's with the given weights."""
    net = ct.CTNet(np.random.default_rng(123), learning_rate=lr)
    net.W1 = W1.copy()
    net.W2 = W2.copy()
    net.lr = lr
    return net


# ----------------------------------------------------------------------------- structure


def test_init(student, conventions, artifacts):
    """Shapes, random values from rng, the learning rate; the scale is recognised over
    twelve generators (std 1: rng.standard_normal; Xavier: 1/sqrt(n below))."""
    ct = student("ct_classifier")
    drawn = {"W1": [], "W2": []}
    for seed in range(12):
        net = ct.CTNet(np.random.default_rng(seed), learning_rate=0.3)
        if seed == 0:
            expect_number(net.lr, 0.3, "CTNet(rng, learning_rate=0.3).lr")
        for name, shape in SHAPES.items():
            value = as_array(getattr(net, name), f"CTNet(rng).{name}")
            expect(value.shape == shape,
                   f"CTNet(rng).{name} の形が {value.shape} です (期待 {shape})。",
                   f"CTNet(rng).{name} has shape {value.shape} (expected {shape}).")
            expect(bool(np.all(np.isfinite(value))) and float(np.ptp(value)) > 0,
                   f"CTNet(rng).{name} が rng の乱数で初期化されていません。",
                   f"CTNet(rng).{name} is not initialised with random numbers from rng.")
            drawn[name].append(value)
    scale = {name: float(np.sqrt(np.mean(np.square(values)))) for name, values in drawn.items()}
    if 0.8 < scale["W1"] < 1.2 and 0.7 < scale["W2"] < 1.3:
        conventions.recognised("initial_values", "standard_normal")
    elif 0.2 < scale["W1"] < 0.36 and 0.4 < scale["W2"] < 0.7:
        conventions.recognised("initial_values", "xavier")
    else:
        artifacts.note("initial_values", "other", {
            "ja": f"初期値の大きさ (二乗平均平方根) は W1 が {scale['W1']:.3g}、W2 が "
                  f"{scale['W2']:.3g} です (どの大きさでも許容しています)。",
            "en": f"The initial values have a root mean square of {scale['W1']:.3g} (W1) "
                  f"and {scale['W2']:.3g} (W2); any scale is accepted."})


# ----------------------------------------------------------------------------- forward


def test_forward(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(10)
    x, t = _batch(11)
    what = label("CTNet.forward(x) (6 パターン、テストが設定した重み)",
                 "CTNet.forward(x) (6 patterns, weights set by the test)")
    with _reference_helpers(ct, ref):
        y = call_keeping_arguments(_student_net(ct, W1, W2, 1.0).forward, x.copy(), what=what)
    result = as_array(y, what)
    expected = {"softmax": _student_net(ref, W1, W2, 1.0).forward(x),
                "sigmoid": _model(W1, W2, x, t, "sigmoid")[0]}
    for outputs in expected.values():
        if result.shape == outputs.shape and np.allclose(result, outputs, rtol=1e-7, atol=1e-10):
            return
    kind = _output_kind(result)  # the whole-array softmax does not add up to 1 per row
    expect_array(result, expected[kind], what, rtol=1e-7, mistakes=[
        (_mistake(mistakes, "ct_threshold_sign"), _model(W1, W2, x, t, kind, sign=1.0)[0]),
        (_mistake(mistakes, "ct_softmax_whole_array"), _model(W1, W2, x, t, softmax="whole")[0])])


# ----------------------------------------------------------------------------- error


def test_error(student, conventions):
    """CTNet.error(y, t): the cross-entropy or the squared error, summed or averaged."""
    ct = student("ct_classifier")
    rng = np.random.default_rng(13)
    y = rng.uniform(0.05, 0.95, (6, 2))
    t = np.eye(2)[rng.integers(0, 2, 6)]
    net = _student_net(ct, *_weights(12), 1.0)
    what = label("CTNet.error(y, t) (6 パターン: 交差エントロピー誤差か 2乗誤差、総和か平均)",
                 "CTNet.error(y, t) (6 patterns: cross-entropy or squared error, sum or mean)")
    value = as_number(call_keeping_arguments(net.error, y.copy(), t.copy(), what=what), what)
    form = _form_of(value, y, t)
    if form is not None:
        conventions.recognised("total_error", form[1])
        return
    # error handing the work to cross_entropy / squared_error is right: those have tests.
    for helper in ("cross_entropy", "squared_error"):
        own = _number(_quietly(getattr(ct, helper), y.copy(), t.copy()))
        if own is not None and np.isclose(own, value, rtol=1e-9, atol=1e-12):
            return
    forms = _errors(y, t)
    size = abs(value) if value else 1.0
    nearest = min(forms.values(), key=lambda number: abs(np.log(size / abs(number))))
    expect_number(value, nearest, what, rtol=1e-4, batch=len(y))


# ----------------------------------------------------------------------------- backward


def _numerical_gradients(net, x, t, W1, W2, h=1e-5):
    """{form: {"W2": ..., "W1": ...}}: central differences of every accepted form of E
    of the student's forward (one pass of forward per shifted weight)."""
    grads = {form: {"W2": np.zeros_like(W2), "W1": np.zeros_like(W1)} for form in FORMS}
    for name, weights in (("W2", W2), ("W1", W1)):
        for index in np.ndindex(weights.shape):
            values = []
            for step in (h, -h):
                shifted = weights.copy()
                shifted[index] += step
                net.W1, net.W2 = W1.copy(), W2.copy()
                setattr(net, name, shifted)
                y = as_array(net.forward(x.copy()), "CTNet.forward(x)")
                values.append(_errors(y, t, delta=0.0))
            for form in grads:
                grads[form][name][index] = (values[0][form] - values[1][form]) / (2 * h)
    return grads


def test_backward_gradients(student, reference, mistakes, conventions):
    """g_W2, g_W1 against the numerical gradient of your own forward and error."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(18)
    x, t = _covering_batch()
    lr = 0.5
    with _reference_helpers(ct, ref):
        probe = _student_net(ct, W1, W2, 0.0)
        y = as_array(probe.forward(x.copy()), "CTNet.forward(x)")
        expect(y.shape == t.shape, f"CTNet.forward(x) の形が {y.shape} です (期待 {t.shape})。",
               f"CTNet.forward(x) has shape {y.shape} (expected {t.shape}).")
        output = _output_kind(y)
        form = _form_of(_number(_quietly(probe.error, y.copy(), t.copy())), y, t)
        numerical = _numerical_gradients(probe, x, t, W1, W2)
        net = _student_net(ct, W1, W2, lr)
        net.forward(x.copy())
        call_keeping_arguments(net.backward, t.copy(), what="CTNet.backward(t)")
        analytic = {name: as_array(getattr(net, f"g_{name}"), f"CTNet.g_{name}")
                    for name in ("W2", "W1")}
    if form is not None:
        conventions.recognised("total_error", form[1])
        if (output, form[0]) in OUTPUT_ERROR:
            conventions.recognised("output_error", OUTPUT_ERROR[(output, form[0])])
    else:  # your error is judged by test_error; here the best fitting form of the pair

        def misfit(candidate):
            return sum(relative_error(analytic[name], numerical[candidate][name])
                       if analytic[name].shape == numerical[candidate][name].shape else 1.0
                       for name in analytic)

        form = min(((PAIRED_ERROR[output], total) for total in ("mean", "sum")), key=misfit)
    total = form[1]
    sigmoid_as_derivative = _model(W1, W2, x, t, output, total, derivative="z")
    updated_first = _model(W1, W2, x, t, output, total, early_lr=lr)
    candidates = {"W2": [], "W1": [(_mistake(mistakes, "ct_sigmoid_derivative"),
                                    sigmoid_as_derivative[1]),
                                   (_mistake(mistakes, "ct_update_before_grad"),
                                    updated_first[1])]}
    if form[0] != PAIRED_ERROR[output]:  # error() of the other pair, backward of this one
        paired = (PAIRED_ERROR[output], total)
        for name in candidates:
            candidates[name].append((_mistake(mistakes, "ct_error_not_paired"),
                                     numerical[paired][name]))
    if output == "softmax":
        extra = _model(W1, W2, x, t, output, total, extra_derivative=True)
        for name, slot in (("W2", 2), ("W1", 1)):
            candidates[name].append((_mistake(mistakes, "ct_softmax_extra_derivative"),
                                     extra[slot]))
    expect_gradients(analytic, numerical[form], label(
        "CTNet.backward の g_W2, g_W1 (あなたの forward と error の数値微分と比較)",
        "CTNet.backward's g_W2, g_W1 (against the numerical gradient of your forward and "
        "error)"), max_error=1e-4, batch=len(x), mistakes=candidates)


def test_backward_update(student, reference):
    """W <- W - lr g_W, with the student's own g_W (so this is checked on its own)."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    W1, W2 = _weights(16)
    x, t = _batch(17)
    lr = 0.7
    with _reference_helpers(ct, ref):
        net = _student_net(ct, W1, W2, lr)
        net.forward(x.copy())
        net.backward(t.copy())
    for name, before in (("W2", W2), ("W1", W1)):
        gradient = as_array(getattr(net, f"g_{name}"), f"CTNet.g_{name}")
        expect(gradient.shape == before.shape,
               f"CTNet.g_{name} の形が {gradient.shape} です (期待 {before.shape})。",
               f"CTNet.g_{name} has shape {gradient.shape} (expected {before.shape}).")
        expect_array(getattr(net, name), before - lr * gradient, label(
            f"backward の後の CTNet.{name} ({name} - lr g_{name}, lr = {lr})",
            f"CTNet.{name} after backward ({name} - lr g_{name}, lr = {lr})"), rtol=1e-7)


# ----------------------------------------------------------------------------- using the net


def test_predict_accuracy(student):
    """predict is the larger output of your own forward; accuracy the fraction right."""
    ct = student("ct_classifier")
    W1, W2 = _weights(22)
    x, t = _batch(21, n=8)
    net = _student_net(ct, W1, W2, 1.0)
    y = as_array(net.forward(x.copy()), "CTNet.forward(x)")
    expect(y.shape == t.shape, f"CTNet.forward(x) の形が {y.shape} です (期待 {t.shape})。",
           f"CTNet.forward(x) has shape {y.shape} (expected {t.shape}).")
    labels = np.argmax(y, axis=1)
    what = label("CTNet.predict(x) (8 パターン、0 = C, 1 = T)",
                 "CTNet.predict(x) (8 patterns, 0 = C, 1 = T)")
    expect_array(call_keeping_arguments(net.predict, x.copy(), what=what), labels, what,
                 rtol=0, atol=0)
    what = label("CTNet.accuracy(x, t) (0 から 1 の割合)",
                 "CTNet.accuracy(x, t) (a fraction, 0 to 1)")
    expect_number(call_keeping_arguments(net.accuracy, x.copy(), t.copy(), what=what),
                  float(np.mean(labels == np.argmax(t, axis=1))), what, rtol=1e-12,
                  batch=len(x))


def test_train(student, reference, artifacts):
    """train(): the error before each update, as your own forward, error and backward give
    it (10 full-batch iterations on ct_train). The report shows a longer run of your
    train beside the reference's in the same convention."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    x, t = ref.load_data("ct_train")
    W1, W2 = _weights(22, scale=0.5)
    iterations, lr = 10, 0.1
    what = label(f"CTNet.train(x, t, {iterations}) の戻り値 (各回の更新の前の誤差)",
                 f"CTNet.train(x, t, {iterations}) (the error before each update)")
    losses = call_keeping_arguments(_student_net(ct, W1, W2, lr).train, x.copy(), t.copy(),
                                    iterations, what=what)
    expect_length(losses, iterations, what)
    values = as_array(losses, what)
    twin = _student_net(ct, W1, W2, lr)
    own = []
    for _ in range(iterations):
        y = twin.forward(x.copy())
        own.append(as_number(twin.error(y, t.copy()), "CTNet.error(y, t)"))
        twin.backward(t.copy())
    expect_array(values, own, what, rtol=1e-7, atol=1e-12)
    _learning_curves(ct, x, t, artifacts)


def _learning_curves(ct, x, t, artifacts, iterations=100):
    """Your train and the reference's in your convention (η = 1 for a mean, 1/N for a sum,
    the same steps), for the report; never graded."""
    W1, W2 = _weights(24)
    probe = _student_net(ct, W1, W2, 0.0)
    y = _quietly(probe.forward, x.copy())
    if y is None:
        return
    output = _output_kind(y)
    form = _form_of(_number(_quietly(probe.error, np.asarray(y, dtype=float), t.copy())),
                    np.asarray(y, dtype=float), t) or (PAIRED_ERROR[output], "mean")
    lr = 1.0 if form[1] == "mean" else 1.0 / len(x)
    losses = _quietly(_student_net(ct, W1, W2, lr).train, x.copy(), t.copy(), iterations)
    if losses is None:
        return
    expected, V1, V2 = [], W1.copy(), W2.copy()
    for _ in range(iterations):
        y, g_W1, g_W2 = _model(V1, V2, x, t, output, form[1])
        expected.append(_errors(y, t)[form])
        V1, V2 = V1 - lr * g_W1, V2 - lr * g_W2
    artifacts.curve("training_loss", {"student": losses, "reference": expected},
                    title={"ja": "学習曲線 (ct_train の誤差 E、あなたの組み合わせで)",
                           "en": "Training curve (the error E on ct_train, in your convention)"},
                    ylabel="E")


# ----------------------------------------------------------------------------- stopping rule


def _stopping_point(errors):
    """(ε, k): E < ε happens first at iteration k (a new low, the middle one preferred),
    ε halfway between errors[k] and the lowest error before it; None when there is none."""
    middle = len(errors) // 2
    for k in sorted(range(1, len(errors)), key=lambda i: (abs(i - middle), i)):
        lowest = min(errors[:k])
        if errors[k] < lowest:
            return (errors[k] + lowest) / 2, k
    return None


def _own_run(ct, W1, W2, lr, x, t, iterations):
    """Your forward, error and backward, `iterations` + 1 times: the error before each
    update and the weights before each update (the last entry: after them all)."""
    twin = _student_net(ct, W1, W2, lr)
    errors, states = [], []
    for _ in range(iterations + 1):
        states.append((np.array(as_array(twin.W1, "CTNet.W1")),
                       np.array(as_array(twin.W2, "CTNet.W2"))))
        y = twin.forward(x.copy())
        errors.append(as_number(twin.error(y, t.copy()), "CTNet.error(y, t)"))
        twin.backward(t.copy())
    return errors, states


def test_train_until(student, reference, mistakes):
    """train_until (001 「機械学習のアルゴリズム algorithm」, steps 2-5) on ct_train: once
    with an ε that the error gets below in the middle of the run, once with one it never
    reaches. The yardstick is your own forward, error and backward (the reference's
    helpers inside when yours give no finite errors), so ε is compared with your own E
    (sum or mean) and only the loop is judged: what it records, when it stops, and that
    it does not update after the stop."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    x, t = ref.load_data("ct_train")
    W1, W2 = _weights(26, scale=0.5)
    most, lr = 12, 0.1
    errors, states = _own_run(ct, W1, W2, lr, x, t, most)
    borrowed = not np.all(np.isfinite(errors))

    def helpers():
        return _reference_helpers(ct, ref) if borrowed else contextlib.nullcontext()

    if borrowed:
        with helpers():
            errors, states = _own_run(ct, W1, W2, lr, x, t, most)
    cases = [(min(errors) - abs(min(errors)) - 1.0, most, False)]
    point = _stopping_point(errors[:most])
    if point is not None:
        cases.insert(0, (point[0], point[1] + 1, True))
    for epsilon, count, reached in cases:
        what = label("CTNet.train_until(x, t, epsilon, max_iteration) "
                     + ("(途中で E < ε になる)" if reached else "(E < ε にならない)"),
                     "CTNet.train_until(x, t, epsilon, max_iteration) "
                     + ("(E gets below ε on the way)" if reached else "(E never below ε)"))
        net = _student_net(ct, W1, W2, lr)
        with helpers():
            losses = call_keeping_arguments(net.train_until, x.copy(), t.copy(), epsilon, most,
                                            what=what)
        expect_array(as_array(losses, what), errors[:count], what, rtol=1e-7, atol=1e-12,
                     mistakes=[(_mistake(mistakes, "ct_until_last_missing"), errors[:count - 1]),
                               (_mistake(mistakes, "ct_until_no_stop"), errors[:most])]
                     if reached else [])
        after = states[count - 1] if reached else states[most]
        beyond = [(_mistake(mistakes, "ct_until_update_after_stop"), states[count])] \
            if reached else []
        for index, name in ((1, "W2"), (0, "W1")):
            expect_array(getattr(net, name), after[index], label(
                f"train_until の後の CTNet.{name} "
                + ("(E < ε になった重みのまま)" if reached else "(最大回数まで更新した重み)"),
                f"CTNet.{name} after train_until "
                + ("(the weights whose E was below ε)" if reached else
                   "(after max_iteration updates)")), rtol=1e-7,
                mistakes=[(mistake, value[index]) for mistake, value in beyond])
