"""Hidden tests: scripts/ex_02_<student_id>.py (normalization and standardization).

The features have very different scales on purpose (like TV, Radio and Newspaper), so
statistics taken over the whole array instead of per column are caught and named.
"""

from functools import cache

import numpy as np
import pytest

from checks import Mistake, expect, expect_array, expect_length, expect_tuple


def _features(seed, n=10):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(1, 300, n), rng.uniform(0.5, 50, n),
                            rng.uniform(0.3, 114, n)])


def _whole(mistakes):
    return Mistake.from_catalogue(mistakes, "norm_whole_array")


def test_normalize_max(student, mistakes):
    ex = student("ex_02")
    x = _features(1)
    expect_array(ex.normalize_max(x.copy()), x / x.max(axis=0), "normalize_max(x)",
                 mistakes=[(_whole(mistakes), x / x.max())])


def test_normalize_min_max(student, mistakes):
    ex = student("ex_02")
    x = _features(2)
    low, high = x.min(axis=0), x.max(axis=0)
    expect_array(ex.normalize_min_max(x.copy()), (x - low) / (high - low), "normalize_min_max(x)",
                 mistakes=[(_whole(mistakes), (x - x.min()) / (x.max() - x.min()))])


def test_standardize(student, mistakes):
    ex = student("ex_02")
    x = _features(3)
    expect_array(ex.standardize(x.copy()), (x - x.mean(axis=0)) / x.std(axis=0),
                 "standardize(x)", mistakes=[
                     (_whole(mistakes), (x - x.mean()) / x.std()),
                     (Mistake.from_catalogue(mistakes, "std_ddof1"),
                      (x - x.mean(axis=0)) / x.std(axis=0, ddof=1))])


def _statistics(method, x):
    if method == "max":
        return np.zeros(x.shape[1]), x.max(axis=0)
    if method == "min_max":
        return x.min(axis=0), x.max(axis=0) - x.min(axis=0)
    return x.mean(axis=0), x.std(axis=0)


@pytest.mark.parametrize("method", ["max", "min_max", "standardize"])
def test_scaler(student, mistakes, method):
    ex = student("ex_02")
    x, other = _features(4), _features(5, n=6)
    shift, scale = _statistics(method, x)
    scaler = ex.Scaler(method)
    scaler.fit(x.copy())
    known = [(_whole(mistakes), (x - _statistics(method, x.ravel()[:, None])[0])
              / _statistics(method, x.ravel()[:, None])[1])]
    if method == "standardize":
        known.append((Mistake.from_catalogue(mistakes, "std_ddof1"),
                      (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)))
    expect_array(scaler.transform(x.copy()), (x - shift) / scale,
                 f'Scaler("{method}").transform(x) after fit(x)', mistakes=known)
    other_shift, other_scale = _statistics(method, other)
    expect_array(scaler.transform(other.copy()), (other - shift) / scale,
                 f'Scaler("{method}").transform(new data) uses the statistics of fit(x)',
                 mistakes=[(Mistake.from_catalogue(mistakes, "scaler_refit"),
                            (other - other_shift) / other_scale)])
    z = np.random.default_rng(6).standard_normal((4, 3))
    expect_array(scaler.inverse_transform(z.copy()), z * scale + shift,
                 f'Scaler("{method}").inverse_transform(z)')


@cache
def _advertising_data(path: str):
    table = np.genfromtxt(path, delimiter=",", names=True)
    x = np.column_stack([table["TV"], table["Radio"], table["Newspaper"]])
    t = table["Sales"].reshape(-1, 1)
    x.setflags(write=False)
    t.setflags(write=False)
    return x, t


def _advertising(reference):
    return _advertising_data(str(reference("perceptron").DATA))


def _student_convention(student):
    """'sum' or 'mean', from one small backward of the student's Perceptron."""
    pc = student("perceptron")
    model = pc.Perceptron(2, 1, learning_rate=0.0, rng=np.random.default_rng(0))
    model.w, model.b = np.ones((2, 1)), np.zeros(1)
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    model.forward(x)
    model.backward(np.ones((2, 1)))
    return "mean" if np.allclose(np.asarray(model.g_w, dtype=float).ravel(), [2.0, 3.0]) else "sum"


@cache
def _reference_losses(ref_ex, data: str, iterations: int):
    """The reference's training curve (computed once per warm judge)."""
    x, t = _advertising_data(data)
    return ref_ex.train_normalized(x, t, "standardize", 0.002, iterations,
                                   np.random.default_rng(0))[1]


def test_train_normalized(student, reference, artifacts):
    """Training on standardized advertising data converges to the least-squares fit."""
    ex, ref_ex = student("ex_02"), reference("ex_02")
    x, t = _advertising(reference)
    iterations = 200
    # The same step for both conventions: the sum convention multiplies gradients by N.
    learning_rate = 0.002 if _student_convention(student) == "sum" else 0.002 * len(x)
    result = expect_tuple(ex.train_normalized(x.copy(), t.copy(), "standardize", learning_rate,
                                              iterations, np.random.default_rng(0)), 2,
                          "train_normalized(x, t, 'standardize', ...)")
    model, losses = result
    losses_ref = _reference_losses(ref_ex, str(reference("perceptron").DATA), iterations)
    values = np.asarray(losses, dtype=float) if isinstance(losses, (list, tuple, np.ndarray)) \
        else np.zeros(0)
    artifacts.curve("train_normalized", {"student": values.tolist(), "reference": losses_ref},
                    title={"ja": "標準化したデータでの学習",
                           "en": "Training on standardized data"},
                    ylabel="E (standardized units)")
    expect_length(values, iterations, "train_normalized(...)[1] (losses)")
    expect(bool(np.all(np.isfinite(values))) and values[-1] <= values[0],
           f"学習が発散しています (誤差 {values[0]:.3g} → {values[-1]:.3g})。"
           "標準化は列ごとに行いましたか。",
           f"Training diverged (loss {values[0]:.3g} -> {values[-1]:.3g}). "
           "Did you standardize each column separately?")
    # Least squares on correctly standardized data gives the lowest reachable loss.
    xs = (x - x.mean(axis=0)) / x.std(axis=0)
    ts = (t - t.mean()) / t.std()
    design = np.column_stack([xs, np.ones(len(xs))])
    coef, *_ = np.linalg.lstsq(design, ts, rcond=None)
    best = float(np.mean((design @ coef - ts) ** 2))
    expect(abs(values[-1] - best) <= 1e-4 * best,
           f"{iterations} 回の学習後の誤差 {values[-1]:.6g} が最小値 {best:.6g} に"
           "収束していません。各列を正しく標準化すると収束が速くなります。",
           f"After {iterations} iterations the loss {values[-1]:.6g} has not converged to the "
           f"minimum {best:.6g}. Standardizing each column correctly makes training converge fast.")
    predictions = ex.predict_original(model, x.copy())
    design_raw = np.column_stack([x, np.ones(len(x))])
    coef_raw, *_ = np.linalg.lstsq(design_raw, t, rcond=None)
    expect_array(predictions, design_raw @ coef_raw,
                 "predict_original(model, x) (predictions in the original units)", rtol=1e-3,
                 atol=1e-3)
