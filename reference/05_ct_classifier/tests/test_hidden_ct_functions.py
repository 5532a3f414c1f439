"""Hidden tests: the module-level functions of scripts/ct_classifier.py.

with_threshold_input, sigmoid, softmax and cross_entropy, each on inputs generated here,
against the reference solution. Numerically fragile inputs (large softmax inputs, zero
probabilities) have their own tests, so the points say which safeguard is missing.
"""

import numpy as np

from checks import Mistake, as_array, as_number, expect, expect_array, expect_number


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _softmax_whole_array(a):
    """The book's 1-D softmax applied to a batch: normalised over the whole array."""
    e = np.exp(a - np.max(a))
    return e / np.sum(e)


def test_with_threshold_input(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    x = np.random.default_rng(1).integers(0, 2, (5, 12)).astype(float)
    expect_array(ct.with_threshold_input(x.copy()), ref.with_threshold_input(x),
                 "with_threshold_input(x) (x: (5, 12); -1 appended as the last column)",
                 rtol=0, atol=0,
                 mistakes=[(_mistake(mistakes, "ct_threshold_sign"),
                            np.hstack([x, np.ones((5, 1))]))])
    z = np.random.default_rng(2).uniform(0, 1, (4, 3))
    expect_array(ct.with_threshold_input(z.copy()), ref.with_threshold_input(z),
                 "with_threshold_input(z) (z: (4, 3), hidden outputs)", rtol=0, atol=0,
                 mistakes=[(_mistake(mistakes, "ct_threshold_sign"),
                            np.hstack([z, np.ones((4, 1))]))])


def test_sigmoid(student, reference):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    u = np.concatenate([np.linspace(-8, 8, 9), [-30.0, 30.0]]).reshape(1, 11)
    expect_array(ct.sigmoid(u.copy()), ref.sigmoid(u), "sigmoid(u)", rtol=1e-7, atol=1e-12)


def test_softmax(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    a = np.random.default_rng(3).normal(0, 2, (5, 2))
    expect_array(ct.softmax(a.copy()), ref.softmax(a), "softmax(a) (a: (5, 2), one row each)",
                 rtol=1e-7, mistakes=[(_mistake(mistakes, "ct_softmax_whole_array"),
                                       _softmax_whole_array(a))])


def test_softmax_large_inputs(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    a = np.array([[1000.0, 1001.0], [-1000.0, -999.0], [3.0, -2.0]])
    what = "softmax(a) for a = [[1000, 1001], [-1000, -999], [3, -2]]"
    result = as_array(ct.softmax(a.copy()), what)
    expect(result.shape != a.shape or bool(np.all(np.isfinite(result))),
           f"{what} に NaN または inf が含まれています: {np.round(result, 4).tolist()}。",
           f"{what} contains NaN or inf: {np.round(result, 4).tolist()}.",
           _mistake(mistakes, "ct_softmax_no_max_shift"))
    expect_array(result, ref.softmax(a), what, rtol=1e-7,
                 mistakes=[(_mistake(mistakes, "ct_softmax_whole_array"),
                            _softmax_whole_array(a))])


def _probabilities(seed, n):
    rng = np.random.default_rng(seed)
    y = rng.uniform(0.05, 0.95, n)
    return np.column_stack([y, 1 - y]), np.eye(2)[rng.integers(0, 2, n)]


def test_cross_entropy(student, reference, mistakes):
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    y, t = _probabilities(4, 6)
    expected = ref.cross_entropy(y, t)
    # log(y + 1e-7) or log(y): both accepted (relative difference about 1e-7 / y).
    expect_number(ct.cross_entropy(y.copy(), t.copy()), expected,
                  "cross_entropy(y, t) (6 samples)", rtol=1e-4,
                  mistakes=[(_mistake(mistakes, "ct_no_batch_mean"), expected * len(y))])


def test_cross_entropy_zero_probability(student, reference, mistakes):
    """A saturated softmax gives exact 0s; the + 1e-7 keeps log finite."""
    ct, ref = student("ct_classifier"), reference("ct_classifier")
    y = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.3], [0.0, 1.0]])
    t = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    what = "cross_entropy(y, t) with some y = 0 (one of them where t = 1)"
    value = ct.cross_entropy(y.copy(), t.copy())
    number = as_number(value, what)
    expect(bool(np.isfinite(number)),
           f"{what} が {number} になりました (有限の値になるはずです)。",
           f"{what} came out as {number} (it must be finite).",
           _mistake(mistakes, "ct_ce_no_delta"))
    expected = ref.cross_entropy(y, t)
    expect_number(value, expected, what, rtol=1e-4,
                  mistakes=[(_mistake(mistakes, "ct_no_batch_mean"), expected * len(y))])
