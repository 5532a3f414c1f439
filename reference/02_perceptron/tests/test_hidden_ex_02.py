"""Hidden tests: scripts/ex_02_<student_id>.py (normalization and standardization).

The features have very different scales on purpose (like TV, Radio and Newspaper), so
statistics taken over the whole array instead of per column are caught and named.
train_normalized is judged on its own: the reference's Scaler, normalization functions
and train stand in for the student's (each judged by its own tests), so only what
train_normalized itself does (scale x and t with the method, train on them, return the
losses, keep the scalers) decides it. A train_normalized that needs more of its own
Scaler than the reference's offers (a fit_transform of its own...) runs again with its
own Scaler; train stays the test's (it is a function: nothing more to need).
"""

from functools import cache

import numpy as np
import pytest

from checks import (Mistake, as_array, attempt, call_keeping_arguments, expect, expect_array,
                    expect_length, expect_tuple, label)


def _features(seed, n=10):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(1, 300, n), rng.uniform(0.5, 50, n),
                            rng.uniform(0.3, 114, n)])


def _whole(mistakes):
    return Mistake.from_catalogue(mistakes, "norm_whole_array")


def test_normalize_max(student, mistakes):
    ex = student("ex_02")
    x = _features(1)
    expect_array(call_keeping_arguments(ex.normalize_max, x.copy(), what="normalize_max"),
                 x / x.max(axis=0), "normalize_max(x)",
                 mistakes=[(_whole(mistakes), x / x.max())],
                 variants=[("per_row", x / x.max(axis=1, keepdims=True))])


def test_normalize_min_max(student, mistakes):
    ex = student("ex_02")
    x = _features(2)
    low, high = x.min(axis=0), x.max(axis=0)
    rows = (x - x.min(axis=1, keepdims=True)) / (x.max(axis=1, keepdims=True)
                                                 - x.min(axis=1, keepdims=True))
    expect_array(call_keeping_arguments(ex.normalize_min_max, x.copy(),
                                        what="normalize_min_max"),
                 (x - low) / (high - low), "normalize_min_max(x)",
                 mistakes=[(_whole(mistakes), (x - x.min()) / (x.max() - x.min()))],
                 variants=[("per_row", rows)])


def test_standardize(student, mistakes):
    ex = student("ex_02")
    x = _features(3)
    rows = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)
    expect_array(call_keeping_arguments(ex.standardize, x.copy(), what="standardize"),
                 (x - x.mean(axis=0)) / x.std(axis=0), "standardize(x)", mistakes=[
                     (_whole(mistakes), (x - x.mean()) / x.std()),
                     (Mistake.from_catalogue(mistakes, "std_ddof1"),
                      (x - x.mean(axis=0)) / x.std(axis=0, ddof=1))],
                 variants=[("per_row", rows)])


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
    fitted = scaler.fit(x.copy())
    expect(fitted is not None, "Scaler.fit は self を返してください (Scaler(method).fit(x) と"
           "続けて書けるように)。", "Scaler.fit must return self (so that Scaler(method).fit(x) "
           "can be chained).")
    known = [(_whole(mistakes), (x - _statistics(method, x.ravel()[:, None])[0])
              / _statistics(method, x.ravel()[:, None])[1])]
    if method == "standardize":
        known.append((Mistake.from_catalogue(mistakes, "std_ddof1"),
                      (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)))
    expect_array(scaler.transform(x.copy()), (x - shift) / scale,
                 label(f'Scaler("{method}").transform(x) (fit(x) のあと)',
                       f'Scaler("{method}").transform(x) after fit(x)'), mistakes=known)
    other_shift, other_scale = _statistics(method, other)
    expect_array(scaler.transform(other.copy()), (other - shift) / scale,
                 label(f'Scaler("{method}").transform(新しいデータ) (fit(x) の統計量で)',
                       f'Scaler("{method}").transform(new data) with the statistics of fit(x)'),
                 mistakes=[(Mistake.from_catalogue(mistakes, "scaler_refit"),
                            (other - other_shift) / other_scale)])
    z = np.random.default_rng(6).standard_normal((4, 3))
    expect_array(scaler.inverse_transform(z.copy()), z * scale + shift,
                 f'Scaler("{method}").inverse_transform(z)',
                 variants=[("sign", z * scale - shift)])


@cache
def _advertising_data(path: str):
    table = np.genfromtxt(path, delimiter=",", names=True)
    x = np.column_stack([table["TV"], table["Radio"], table["Newspaper"]])
    t = table["Sales"].reshape(-1, 1)
    x.setflags(write=False)
    t.setflags(write=False)
    return x, t


class _Replaced:
    """Names of the student's module replaced by the test's while the ``with`` block runs,
    put back afterwards (a worker restarted meanwhile has fresh modules, so a failed
    restore is harmless)."""

    def __init__(self, module, **parts):
        self.module, self.parts, self.saved = module, parts, {}

    def __enter__(self):
        self.saved = {name: getattr(self.module, name, None) for name in self.parts}
        for name, value in self.parts.items():
            setattr(self.module, name, value)
        return self

    def __exit__(self, *exc_info):
        for name, value in self.saved.items():
            try:
                setattr(self.module, name, value)
            except Exception:  # noqa: BLE001 - see the docstring
                pass
        return False


ITERATIONS, RATE = 40, 0.002


def test_train_normalized(student, reference):
    """train_normalized alone: the reference's Scaler, normalizations and train stand in."""
    ex, ref_ex, ref_pc = student("ex_02"), reference("ex_02"), reference("perceptron")
    x, t = _advertising_data(str(ref_pc.DATA))
    calls = []

    def train(x, t, model, loss_fn, max_iteration):  # train's own argument names
        x_scaled, t_scaled = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        stand_in = ref_pc.Perceptron(x_scaled.shape[1], t_scaled.shape[1], learning_rate=RATE,
                                     rng=np.random.default_rng(0))
        losses = ref_pc.train(x_scaled, t_scaled, stand_in, ref_pc.MeanSquaredError(),
                              max_iteration)
        calls.append((x_scaled, t_scaled, max_iteration, losses))
        return losses

    class Scaler(ref_ex.Scaler):
        def fit_transform(self, data):
            return self.fit(data).transform(data)

    parts = {name: getattr(ref_ex, name)
             for name in ("normalize_max", "normalize_min_max", "standardize")}

    def run(stand_ins):
        calls.clear()
        with _Replaced(student("perceptron"), train=train), \
                _Replaced(ex, train=train, **(dict(parts, Scaler=Scaler) if stand_ins else {})):
            return attempt(ex.train_normalized, x.copy(), t.copy(), "standardize", RATE,
                           ITERATIONS, np.random.default_rng(0))

    result, error = run(stand_ins=True)
    if error is not None:  # it needs more of its own Scaler than the reference's offers
        result, error = run(stand_ins=False)
    if error is not None:
        raise error
    model, losses = expect_tuple(result, 2, "train_normalized(x, t, method, ...)")
    expect(len(calls) == 1, "train_normalized は train をちょうど 1 回呼んでください。",
           "train_normalized must call train exactly once.")
    x_scaled, t_scaled, iterations, returned = calls[0]
    for given, data, name in ((x_scaled, x, "x"), (t_scaled, t, "t")):
        shift, scale = _statistics("standardize", data)
        expect_array(given, (data - shift) / scale,
                     label(f"train に渡した {name} (method で変換したもの)",
                           f"the {name} passed to train (scaled with the method)"),
                     variants=[("whole_array", (data - data.mean()) / data.std())])
    expect(iterations == ITERATIONS, "train に max_iteration をそのまま渡してください。",
           "Pass max_iteration on to train.")
    values = as_array(losses, "train_normalized(...)[1] (losses)").ravel()
    expect_length(values, ITERATIONS, "train_normalized(...)[1] (losses)")
    expect_array(values, returned, label("train_normalized(...)[1] (train が返した誤差)",
                                         "train_normalized(...)[1] (the losses train "
                                         "returned)"), rtol=1e-9)
    for name, data in (("x_scaler", x), ("t_scaler", t)):
        scaler = getattr(model, name, None)
        expect(scaler is not None, f"model.{name} に変換器 (Scaler) を入れてください。",
               f"Keep the scaler as model.{name}.")
        shift, scale = _statistics("standardize", data)
        expect_array(scaler.transform(data.copy()), (data - shift) / scale,
                     label(f"model.{name}.transform ({name[0]} で fit したもの)",
                           f"model.{name}.transform (fitted on {name[0]})"))

