"""Hidden tests: the module-level functions of scripts/ct_classifier.py.

with_threshold_input, sigmoid, softmax, cross_entropy and squared_error, each on inputs
generated here, against the reference solution, each called with
``call_keeping_arguments`` (the kit says no function changes its input). The two errors
may be the sum over the patterns (the slides' E = Σ_p e_p) or their mean: both are
accepted here; which one the network uses is recognised by the CTNet tests.
Numerically fragile inputs (large softmax inputs, zero probabilities) have their own
tests, so the points say which safeguard is missing; the large-input test calls softmax
one row at a time and compares it with your own softmax of the shifted row, so it judges
the overflow safeguard only (a softmax wrong on ordinary batches loses test_softmax).
plot_training draws a run of the reference (so only the plotting is judged) and its
figure is checked with expect_png and shown in the report.
"""

import numpy as np

from checks import (Mistake, as_array, as_number, call_keeping_arguments, expect, expect_array,
                    expect_number, expect_png, label)


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _softmax_whole_array(a):
    """The book's 1-D softmax applied to a batch: normalised over the whole array."""
    e = np.exp(a - np.max(a))
    return e / np.sum(e)


def _softmax_per_column(a):
    e = np.exp(a - np.max(a, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _accepted_total(value, mean, n, rtol):
    """'mean' or 'sum' when the value is one of them, else None."""
    for total, number in (("mean", mean), ("sum", mean * n)):
        if np.isclose(value, number, rtol=rtol, atol=1e-12):
            return total
    return None


def _closer(value, mean, n):
    """Of the mean and the sum, the one nearer to ``value`` by ratio (the message's yardstick)."""
    size = abs(value) if value else 1.0
    return min((mean, mean * n), key=lambda number: abs(np.log(size / abs(number))))


def test_with_threshold_input(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    for seed, shape, name in ((1, (5, 12), "x"), (2, (4, 3), "z")):
        rng = np.random.default_rng(seed)
        data = rng.integers(0, 2, shape).astype(float) if name == "x" else rng.uniform(0, 1, shape)
        what = label(f"with_threshold_input({name}) ({name}: {shape}、最後の列に -1)",
                     f"with_threshold_input({name}) ({name}: {shape}, -1 as the last column)")
        value = call_keeping_arguments(ct.with_threshold_input, data.copy(), what=what)
        expect_array(value, ref.with_threshold_input(data), what, rtol=0, atol=0,
                     mistakes=[(_mistake(mistakes, "ct_threshold_sign"),
                                np.hstack([data, np.ones((shape[0], 1))]))])


def test_sigmoid(student, reference):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    u = np.concatenate([np.linspace(-8, 8, 9), [-30.0, 30.0, 0.5]]).reshape(2, 6)
    value = call_keeping_arguments(ct.sigmoid, u.copy(), what="sigmoid(u)")
    expect_array(value, ref.sigmoid(u), "sigmoid(u)", rtol=1e-7, atol=1e-12)


def test_softmax(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    a = np.random.default_rng(3).normal(0, 2, (5, 2))
    what = label("softmax(a) (a: (5, 2)、行ごと)", "softmax(a) (a: (5, 2), per row)")
    value = call_keeping_arguments(ct.softmax, a.copy(), what=what)
    expect_array(value, ref.softmax(a), what, rtol=1e-7,
                 mistakes=[(_mistake(mistakes, "ct_softmax_whole_array"),
                            _softmax_whole_array(a))],
                 variants=[("per_column", _softmax_per_column(a))])


def test_softmax_large_inputs(student, mistakes):
    """exp must not overflow: each large row gives what your softmax gives for the same
    row shifted to a maximum of 0 (where no safeguard is needed)."""
    ct = student("ct_classifier")
    rows = np.array([[1000.0, 1001.0], [-1000.0, -999.0], [800.0, -5.0]])
    what = label("softmax(a) (大きな値の入力、1 行ずつ)",
                 "softmax(a) (large inputs, one row at a time)")
    for row in rows:
        a = row.reshape(1, 2)
        result = as_array(ct.softmax(a.copy()), what)
        expect(bool(np.all(np.isfinite(result))),
               f"{what['ja']} に NaN または inf が含まれています。",
               f"{what['en']} contains NaN or inf.",
               _mistake(mistakes, "ct_softmax_no_max_shift"))
        expect_array(result, as_array(ct.softmax(a - a.max()), what), what, rtol=1e-7)


def _probabilities(seed, n):
    rng = np.random.default_rng(seed)
    y = rng.uniform(0.05, 0.95, n)
    return np.column_stack([y, 1 - y]), np.eye(2)[rng.integers(0, 2, n)]


def test_cross_entropy(student, reference):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    y, t = _probabilities(4, 6)
    mean = ref.cross_entropy(y, t)
    what = label("cross_entropy(y, t) (6 パターン、総和または平均)",
                 "cross_entropy(y, t) (6 patterns, the sum or the mean)")
    value = as_number(call_keeping_arguments(ct.cross_entropy, y.copy(), t.copy(), what=what),
                      what)
    # log(y + 1e-7) or log(y): both accepted (relative difference about 1e-7 / y).
    if _accepted_total(value, mean, len(y), rtol=1e-4) is None:
        expect_number(value, _closer(value, mean, len(y)), what, rtol=1e-4)


def test_cross_entropy_zero_probability(student, reference, mistakes):
    """A saturated softmax gives exact 0s; the + 1e-7 keeps log finite. Judged against
    what your cross_entropy gives on ordinary inputs (the same multiple of the reference:
    1 for the mean, N for the sum), so a mistake in the formula costs test_cross_entropy
    only."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    y = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.3], [0.0, 1.0], [0.4, 0.6], [0.9, 0.1]])
    t = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    what = label("cross_entropy(y, t) (y に 0 を含む: t = 1 の位置にも)",
                 "cross_entropy(y, t) with zeros in y (one where t = 1)")
    number = as_number(call_keeping_arguments(ct.cross_entropy, y.copy(), t.copy(), what=what),
                       what)
    expect(bool(np.isfinite(number)),
           f"{what['ja']} が有限の値になりません ({number})。",
           f"{what['en']} is not finite ({number}).",
           _mistake(mistakes, "ct_ce_no_delta"))
    ordinary_y, ordinary_t = _probabilities(4, len(y))
    ratio = as_number(ct.cross_entropy(ordinary_y.copy(), ordinary_t.copy()), what) / \
        ref.cross_entropy(ordinary_y, ordinary_t)
    mean = ref.cross_entropy(y, t)
    if _accepted_total(number, mean, len(y), rtol=1e-4) is None:
        expect_number(number, ratio * mean if np.isfinite(ratio) and ratio else
                      _closer(number, mean, len(y)), what, rtol=1e-4)


def test_squared_error(student, reference):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    rng = np.random.default_rng(5)
    y = rng.uniform(0.05, 0.95, (6, 2))  # sigmoid outputs: rows need not add up to 1
    t = np.eye(2)[rng.integers(0, 2, 6)]
    mean = ref.squared_error(y, t)
    what = label("squared_error(y, t) (6 パターン、総和または平均)",
                 "squared_error(y, t) (6 patterns, the sum or the mean)")
    value = as_number(call_keeping_arguments(ct.squared_error, y.copy(), t.copy(), what=what),
                      what)
    if _accepted_total(value, mean, len(y), rtol=1e-7) is None:
        expect_number(value, _closer(value, mean, len(y)), what, rtol=1e-7)


def test_plot_training(student, reference, artifacts, mistakes):
    """plot_training saves outputs/ct_training.png: a real PNG of a sensible size with
    something drawn on it. The data are a run of the reference on ct_train (made here,
    so only the plotting is judged); the report shows the figure to the TA."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    x, t = ref.load_data("ct_train")
    x_test, t_test = ref.load_data("ct_test")
    net = ref.CTNet(np.random.default_rng(4), learning_rate=1.0)
    epsilon = 0.05
    losses = [float(value) for value in net.train_until(x, t, epsilon, 300)]
    accuracies = {"ct_train": float(net.accuracy(x, t)),
                  "ct_test": float(net.accuracy(x_test, t_test))}
    ct.plot_training(losses, epsilon, accuracies)
    what = label("plot_training の図 outputs/ct_training.png",
                 "plot_training's figure outputs/ct_training.png")
    png = student.read_output("ct_training.png")
    expect(png is not None,
           f"{what['ja']} が保存されていません。",
           f"{what['en']} was not saved.", _mistake(mistakes, "ct_figure_not_in_outputs"))
    artifacts.image("ct_training.png", png, title={
        "ja": "あなたの plot_training が描いた図 (データは参照解の学習の記録)",
        "en": "The figure your plot_training drew (the data: a run of the reference)"})
    expect_png(png, what)
