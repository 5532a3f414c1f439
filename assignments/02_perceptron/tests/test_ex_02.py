"""公開テスト: scripts/ex_02_<学籍番号>.py / Public tests for ex_02_<student_id>.py."""

import contextlib

import numpy as np

from checks import (as_array, attempt, call_keeping_arguments, expect, expect_array,
                    expect_length, expect_tuple, label)

X = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])
NEW = np.array([[3.0, 40.0], [0.0, 10.0]])


def test_normalize_max_per_column(student):
    ex = student("ex_02")
    expect_array(call_keeping_arguments(ex.normalize_max, X.copy(), what="normalize_max"),
                 [[0.25, 1 / 3], [0.5, 1.0], [1.0, 2 / 3]],
                 label("normalize_max(X) (列ごと)", "normalize_max(X) (per column)"),
                 variants=[("whole_array", X / X.max()),
                           ("per_row", X / X.max(axis=1, keepdims=True))])


def test_normalize_min_max_per_column(student):
    ex = student("ex_02")
    expect_array(call_keeping_arguments(ex.normalize_min_max, X.copy(),
                                        what="normalize_min_max"),
                 [[0.0, 0.0], [1 / 3, 1.0], [1.0, 0.5]],
                 label("normalize_min_max(X) (列ごと)", "normalize_min_max(X) (per column)"),
                 variants=[("whole_array", (X - X.min()) / (X.max() - X.min())),
                           ("per_row", (X - X.min(axis=1, keepdims=True))
                            / np.ptp(X, axis=1, keepdims=True))])


def test_standardize_per_column(student):
    ex = student("ex_02")
    result = expect_array(call_keeping_arguments(ex.standardize, X.copy(), what="standardize"),
                          (X - X.mean(axis=0)) / X.std(axis=0),
                          label("standardize(X) (列ごと)", "standardize(X) (per column)"),
                          variants=[("whole_array", (X - X.mean()) / X.std())])
    expect_array(result.mean(axis=0), [0.0, 0.0], "standardize(X).mean(axis=0)", atol=1e-12)


def test_scaler(student):
    """fit(X) の統計量で、新しいデータ NEW も変換・逆変換する."""
    ex = student("ex_02")
    statistics = {"max": (0.0, X.max(axis=0)),
                  "min_max": (X.min(axis=0), X.max(axis=0) - X.min(axis=0)),
                  "standardize": (X.mean(axis=0), X.std(axis=0))}
    for method, (shift, scale) in statistics.items():
        scaler = ex.Scaler(method)
        fitted = scaler.fit(X.copy())
        expect(fitted is not None, "Scaler.fit は self を返してください。",
               "Scaler.fit must return self.")
        expect_array(scaler.transform(NEW.copy()), (NEW - shift) / scale,
                     label(f'Scaler("{method}").transform(NEW) (fit(X) の統計量で)',
                           f'Scaler("{method}").transform(NEW) (with the statistics of fit(X))'))
        expect_array(scaler.inverse_transform(NEW.copy()), NEW * scale + shift,
                     f'Scaler("{method}").inverse_transform(NEW)')


# train_normalized だけを確かめるため、Scaler と train を「代役」に置き換えます。代役の
# Scaler はどの method でも (x - 1) / 2 に変換し、代役の train は受け取った値を記録して
# 決まった誤差のリストを返します。
# To check train_normalized on its own, Scaler and train are replaced by stand-ins: the
# stand-in Scaler maps x to (x - 1) / 2 whatever the method, and the stand-in train
# records what it was given and returns a fixed list of losses.

class _StandInScaler:
    made = []

    def __init__(self, method):
        self.method = method
        self.fitted = None
        _StandInScaler.made.append(self)

    def fit(self, x):
        self.fitted = np.array(x, dtype=float)
        return self

    def fit_transform(self, x):
        return self.fit(x).transform(x)

    def transform(self, x):
        return (np.asarray(x, dtype=float) - 1.0) / 2.0

    def inverse_transform(self, x):
        return np.asarray(x, dtype=float) * 2.0 + 1.0


@contextlib.contextmanager
def _replaced(module, **parts):
    """module の名前を一時的に置き換える / replace names in a module for a while."""
    saved = {name: getattr(module, name, None) for name in parts}
    for name, value in parts.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            with contextlib.suppress(Exception):
                setattr(module, name, value)


def _standardized(a):
    return (a - a.mean(axis=0)) / a.std(axis=0)


def test_train_normalized(student):
    ex = student("ex_02")
    x = np.array([[1.0, 5.0, 2.0], [3.0, 1.0, 0.0], [2.0, 2.0, 4.0], [0.0, 4.0, 1.0]])
    t = np.array([[2.0], [1.0], [4.0], [3.0]])
    calls = []

    def stand_in_train(x, t, model, loss_fn, max_iteration):  # train's own argument names
        calls.append((np.asarray(x, dtype=float), np.asarray(t, dtype=float), max_iteration))
        return [3.0, 2.0, 1.0][:max_iteration]

    def run(stand_in_scaler):
        calls.clear()
        _StandInScaler.made.clear()
        parts = {"Scaler": _StandInScaler} if stand_in_scaler else {}
        with _replaced(ex, train=stand_in_train, **parts):
            return attempt(ex.train_normalized, x.copy(), t.copy(), "standardize", 0.01, 3,
                           np.random.default_rng(0))

    result, error = run(stand_in_scaler=True)
    if error is not None:  # it needs more of its own Scaler than the stand-in offers
        result, error = run(stand_in_scaler=False)
    if error is not None:
        raise error
    model, losses = expect_tuple(result, 2, "train_normalized(x, t, method, ...)")
    expect(len(calls) == 1, "train_normalized は train をちょうど 1 回呼んでください。",
           "train_normalized must call train exactly once.")
    x_scaled, t_scaled, iterations = calls[0]
    for given, data, name in ((x_scaled, x, "x"), (t_scaled, t, "t")):
        own = given.shape == data.shape and np.allclose(given, _standardized(data))
        expect_array(given, _standardized(data) if own else (data - 1.0) / 2.0,
                     label(f"train に渡した {name} (変換後)",
                           f"the {name} passed to train (scaled)"))
    expect(iterations == 3, "train に max_iteration をそのまま渡してください。",
           "Pass max_iteration on to train.")
    expect_length(losses, 3, "train_normalized(...)[1] (losses)")
    expect_array(as_array(losses, "train_normalized(...)[1] (losses)").ravel(), [3.0, 2.0, 1.0],
                 label("train_normalized(...)[1] (train が返した誤差のリスト)",
                       "train_normalized(...)[1] (the losses train returned)"))
    made = _StandInScaler.made
    expect(all(s.method == "standardize" for s in made),
           "Scaler には train_normalized が受け取った method を渡してください。",
           "Give Scaler the method train_normalized was given.")
    for name, data in (("x_scaler", x), ("t_scaler", t)):
        expect(not made or any(s.fitted is not None and s.fitted.shape == data.shape
                               and np.allclose(s.fitted, data) for s in made),
               f"model.{name} にする Scaler を {name[0]} で fit してください。",
               f"Fit the Scaler kept as model.{name} on {name[0]}.")
        scaler = getattr(model, name, None)
        expect(scaler is not None, f"model.{name} に変換器 (Scaler) を入れてください。",
               f"Keep the scaler as model.{name}.")
        expect_array(scaler.inverse_transform(scaler.transform(data.copy())), data,
                     label(f"model.{name} の transform → inverse_transform",
                           f"model.{name}: transform, then inverse_transform"))
