"""Hidden tests: scripts/ex_02_<student_id>.py (normalization and standardization).

The features have very different scales on purpose (like TV, Radio and Newspaper), so
statistics taken over the whole array instead of per column are caught and named.
train_normalized is judged on its own: the reference's Scaler, normalization functions
and train stand in for the student's (each judged by its own tests), so only what
train_normalized itself does (scale x and t with the method, train on them, return the
losses, keep the scalers) decides it. A train_normalized that needs more of its own
Scaler than the reference's offers (a fit_transform of its own...) runs again with its
own Scaler; train stays the test's (it is a function: nothing more to need).
compare_normalizations is judged alone as well (every part it uses is the test's), and the
script's figure with the reference's parts doing the training (see their sections below).
"""

from functools import cache

import numpy as np
import pytest

from checks import (Mistake, as_array, attempt, call_keeping_arguments, expect, expect_array,
                    expect_length, expect_number, expect_png, expect_tuple, label, replaced)


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
        with replaced(student("perceptron"), train=train), \
                replaced(ex, train=train, **(dict(parts, Scaler=Scaler) if stand_ins else {})):
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



# ------------------------------------------------------------------ compare_normalizations
# The driver alone: every part it uses (Perceptron, MeanSquaredError, train, Scaler,
# train_normalized, normalize_*) is the test's, built on the reference's. The stand-in
# Perceptron starts from fixed weights (the driver's use of rng does not matter), the
# stand-in train trains it with the reference's train and records what it was given. In
# grading the driver hands the test's objects back to the test as opaque handles, so the
# stand-in train takes the oldest stand-in Perceptron not trained yet (the one the driver
# just made), and each returned model says which one it is (stand_in_index()).
# A driver that needs more of its own parts (reads model.w, sets model.lr ...) runs again
# on its own parts and is compared with the reference's driver (sum or mean convention).

CMP_SETTINGS = {"raw": 1e-7, "max": 0.003, "min_max": 0.004, "standardize": 0.002}
CMP_ITERATIONS = 6
CMP_SEED = 3


def _whole_number(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and \
        not isinstance(value, bool)


def _scaled(ref_ex, method, data):
    return data if method == "raw" else ref_ex.Scaler(method).fit(data).transform(data)


#: How Japanese messages name the methods (the key "raw" is no Japanese word).
METHOD_JA = {"raw": "変換なし", "max": "最大値での正規化", "min_max": "Min-Max 法",
             "standardize": "標準化"}


def _named(method, ja, en):
    """A label about compare_normalizations' entry for ``method``."""
    return label(f"compare_normalizations(...) の{METHOD_JA.get(method, '?')}の{ja}",
                 f'compare_normalizations(...)["{method}"]{en}')


class _Bench:
    """The stand-ins and what they saw: the Perceptrons made, the trainings done."""

    def __init__(self, ref_ex, ref_pc):
        self.made, self.trainings = [], []
        self.ref_pc = ref_pc
        bench = self

        class Perceptron:
            def __init__(self, n_in, n_out, learning_rate=0.01, rng=None):
                self.index, self.lr, self.size = len(bench.made), learning_rate, (n_in, n_out)
                self.model = None
                if _whole_number(n_in) and _whole_number(n_out) and n_in > 0 and n_out > 0:
                    self.model = ref_pc.Perceptron(int(n_in), int(n_out), learning_rate=0.0,
                                                   rng=np.random.default_rng(7))
                bench.made.append(self)

            def forward(self, x):
                return self.model.forward(np.asarray(x, dtype=float))

            def stand_in_index(self):
                return self.index

        class Scaler(ref_ex.Scaler):
            def fit_transform(self, data):
                return self.fit(data).transform(data)

        def train(x, t, model, loss_fn, max_iteration):  # train's own argument names
            index = model.index if isinstance(model, Perceptron) else None
            return bench.train(x, t, index, max_iteration)

        def train_normalized(x, t, method, learning_rate, max_iteration, rng):
            x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
            x_scaler, t_scaler = Scaler(method).fit(x), Scaler(method).fit(t)
            model = Perceptron(x.shape[1], t.shape[1], learning_rate=learning_rate)
            losses = bench.train(x_scaler.transform(x), t_scaler.transform(t), model.index,
                                 max_iteration)
            model.x_scaler, model.t_scaler = x_scaler, t_scaler
            return model, losses

        self.parts = {"Perceptron": Perceptron, "MeanSquaredError": ref_pc.MeanSquaredError,
                      "Scaler": Scaler, "train": train, "train_normalized": train_normalized,
                      **{name: getattr(ref_ex, name)
                         for name in ("normalize_max", "normalize_min_max", "standardize")}}

    def train(self, x, t, index, max_iteration):
        """Train the Perceptron given (in grading, the oldest one not trained yet)."""
        if index is None:
            waiting = [p.index for p in self.made
                       if not any(done[0] == p.index for done in self.trainings)]
            index = waiting[0] if waiting else (len(self.made) - 1 if self.made else None)
        x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        steps = max_iteration if _whole_number(max_iteration) and max_iteration > 0 else 0
        made = self.made[index] if index is not None else None
        losses = [0.0] * steps
        if made is not None and made.model is not None and x.ndim == t.ndim == 2 and \
                made.model.w.shape == (x.shape[1], t.shape[1]) and _number(made.lr):
            made.model.lr = float(made.lr)
            with np.errstate(all="ignore"):
                losses = self.ref_pc.train(x, t, made.model, self.ref_pc.MeanSquaredError(),
                                           steps)
        self.trainings.append((index, x, t, max_iteration, losses))
        return list(losses)


def _index_of(model):
    """Which stand-in Perceptron ``model`` is (None when it is not one of them)."""
    found, _ = attempt(lambda: model.stand_in_index())
    return found if _whole_number(found) else None


def _check_comparison(result, bench, x, t, ref_ex, mistakes):
    expect(isinstance(result, dict),
           "compare_normalizations は {方法: (model, losses)} の辞書を返してください。",
           "compare_normalizations must return a dict {method: (model, losses)}.")
    expect(set(result) == set(CMP_SETTINGS),
           "返した辞書のキーが settings のキー (方法) と違います。",
           f"The keys of the dict returned, {sorted(map(str, result))}, differ from the "
           f"methods of settings, {sorted(CMP_SETTINGS)}.")
    reused = Mistake.from_catalogue(mistakes, "cmp_model_reused")
    seen = set()
    for method, rate in CMP_SETTINGS.items():
        ja = METHOD_JA[method]
        model, losses = expect_tuple(result[method], 2, _named(method, "値 (model, losses)",
                                                                " (model, losses)"))
        index = _index_of(model)
        expect(index is not None,
               f"compare_normalizations(...) の{ja}の model が、その方法で学習した Perceptron "
               "ではありません。",
               f'The model of compare_normalizations(...)["{method}"] is not the Perceptron '
               "trained for that method.")
        trainings = [done for done in bench.trainings if done[0] == index]
        expect(bool(trainings), f"{ja}の Perceptron が train で学習されていません。",
               f'The Perceptron of "{method}" was not trained with train.')
        expect(index not in seen and len(trainings) == 1,
               "1 つの Perceptron を複数の方法で学習し続けています。",
               "One Perceptron is trained for several methods in turn.", reused)
        seen.add(index)
        made = bench.made[index]
        size = (x.shape[1], t.shape[1])
        expect(made.size == size,
               f"{ja}の Perceptron の大きさ (n_in, n_out) が {made.size} です。"
               f"(x.shape[1], t.shape[1]) = {size} にしてください。",
               f'The Perceptron of "{method}" has (n_in, n_out) = {made.size}; it must be '
               f"(x.shape[1], t.shape[1]) = {size}.",
               hint_id="transposed" if made.size == size[::-1] else None)
        expect_number(made.lr, rate, label(f"{ja}の Perceptron の学習率 (settings から)",
                                           f'the learning rate of the Perceptron of "{method}" '
                                           "(from settings)"),
                      mistakes=[(Mistake.from_catalogue(mistakes, "cmp_default_learning_rate"),
                                 0.01)])
        _, given_x, given_t, iterations, returned = trainings[0]
        for given, data, what in ((given_x, x, "x"), (given_t, t, "t")):
            other = [o for o in CMP_SETTINGS if o != method and given.shape == data.shape
                     and np.allclose(given, _scaled(ref_ex, o, data))]
            like = other[0] if other else ""
            expect(not other, f"{ja}で train に渡した {what} が{METHOD_JA.get(like, '')}の"
                   "変換になっています。",
                   f'The {what} passed to train for "{method}" is scaled as for "{like}".')
            expect_array(given, _scaled(ref_ex, method, data),
                         label(f"{ja}で train に渡した {what}",
                               f'the {what} passed to train for "{method}"'))
        expect(iterations == CMP_ITERATIONS, "train に max_iteration をそのまま渡してください。",
               "Pass max_iteration on to train.")
        values = as_array(losses, _named(method, "losses", " (losses)")).ravel()
        expect_length(values, CMP_ITERATIONS, _named(method, "losses", " (losses)"))
        expect_array(values, returned, _named(method, "losses (train が返した誤差)",
                                              " (losses: what train returned)"),
                     rtol=1e-9)


def _reference_runs(ref_ex, ref_pc, x, t):
    """The reference driver's losses per method, with g_w, g_b as the sum and the mean."""

    class MeanPerceptron(ref_pc.Perceptron):
        def backward(self, g):
            return super().backward(np.asarray(g, dtype=float) / len(g))

    runs = {}
    for convention, perceptron in (("sum", ref_pc.Perceptron), ("mean", MeanPerceptron)):
        rng, runs[convention] = np.random.default_rng(CMP_SEED), {}
        with np.errstate(all="ignore"):
            for method, rate in CMP_SETTINGS.items():
                model = perceptron(x.shape[1], t.shape[1], learning_rate=rate, rng=rng)
                runs[convention][method] = ref_pc.train(
                    _scaled(ref_ex, method, x), _scaled(ref_ex, method, t), model,
                    ref_pc.MeanSquaredError(), CMP_ITERATIONS)
    return runs


def _check_own_parts(result, ref_ex, ref_pc, x, t, mistakes):
    """The driver on the student's own parts against the reference driver's losses."""
    expect(isinstance(result, dict) and set(result) == set(CMP_SETTINGS),
           "compare_normalizations は settings と同じキーの辞書 {方法: (model, losses)} を"
           "返してください。",
           "compare_normalizations must return a dict {method: (model, losses)} with the "
           "keys of settings.")
    pairs = {method: expect_tuple(result[method], 2, _named(method, "値 (model, losses)",
                                                            " (model, losses)"))
             for method in CMP_SETTINGS}
    weights = {}
    for method, (model, _) in pairs.items():
        value, _ = attempt(lambda model=model: np.asarray(model.w, dtype=float))
        weights[method] = value
    shared = [m for m in CMP_SETTINGS for o in CMP_SETTINGS if m < o
              and weights[m] is not None and weights[o] is not None
              and weights[m].shape == weights[o].shape and np.array_equal(weights[m], weights[o])]
    expect(not shared, "1 つの Perceptron を複数の方法で学習し続けています。",
           "One Perceptron is trained for several methods in turn.",
           Mistake.from_catalogue(mistakes, "cmp_model_reused"))
    runs = _reference_runs(ref_ex, ref_pc, x, t)
    for method, (_, losses) in pairs.items():
        values = as_array(losses, _named(method, "losses", " (losses)")).ravel()
        expect_length(values, CMP_ITERATIONS, _named(method, "losses", " (losses)"))
        ways = [run[method] for run in runs.values()]
        closest = min(ways, key=lambda way: float(np.nanmax(np.abs(values - way))))
        expect_array(values, closest, _named(method, "losses (参照解の部品での結果と比べて)",
                                             " (losses, against the reference's parts)"),
                     rtol=1e-6)


def test_compare_normalizations(student, reference, mistakes):
    ex, ref_ex, ref_pc = student("ex_02"), reference("ex_02"), reference("perceptron")
    x, t = _advertising_data(str(ref_pc.DATA))
    bench = _Bench(ref_ex, ref_pc)
    with replaced(ex, **bench.parts), replaced(student("perceptron"), **{
            name: bench.parts[name] for name in ("Perceptron", "MeanSquaredError", "train")}):
        result, error = attempt(call_keeping_arguments, ex.compare_normalizations, x.copy(),
                                t.copy(), dict(CMP_SETTINGS), CMP_ITERATIONS,
                                np.random.default_rng(CMP_SEED), what="compare_normalizations")
    if error is None:
        _check_comparison(result, bench, x, t, ref_ex, mistakes)
        return
    result, error = attempt(ex.compare_normalizations, x.copy(), t.copy(), dict(CMP_SETTINGS),
                            CMP_ITERATIONS, np.random.default_rng(CMP_SEED))
    if error is not None:
        raise error
    _check_own_parts(result, ref_ex, ref_pc, x, t, mistakes)


# ------------------------------------------------------------------ the script's figure
# The script runs twice. First compare_normalizations is a stand-in that records what the
# script gives it (the data, settings = {method: learning rate}, max_iteration) and stops
# it there. Then the reference's parts train with those learning rates (at most
# FIGURE_ITERATIONS iterations, with g_w, g_b as the batch sum or mean like the student's
# Perceptron), their weights go into Perceptrons of the student's own class (so the
# script can read model.w and call model.forward), and the script runs to its end with a
# compare_normalizations that returns them. What is judged is the figure it saves.

FIGURE = "normalization_comparison.png"
FIGURE_ITERATIONS = 200


class _ReachedCompare(Exception):
    """The recording stand-in stops the script at compare_normalizations."""


def _student_convention(pc):
    """"mean" when the student's Perceptron divides g_w by N, else "sum"."""
    x = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0], [2.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    g = np.array([[1.0], [0.0], [-1.0], [0.5]])
    try:
        probe = pc.Perceptron(3, 1, learning_rate=0.0, rng=np.random.default_rng(0))
        probe.w, probe.b = np.ones((3, 1)), np.zeros(1)
        probe.forward(x.copy())
        probe.backward(g.copy())
        g_w = np.asarray(probe.g_w, dtype=float)
    except Exception:  # noqa: BLE001 - any trouble: the figure trains with the sum
        return "sum"
    return "mean" if g_w.shape == (3, 1) and np.allclose(g_w, x.T @ g / len(x)) else "sum"


def _figure_runs(ref_ex, ref_pc, x, t, settings, iterations, convention):
    """(model, losses) per method: the reference's parts with the script's learning rates."""

    class MeanPerceptron(ref_pc.Perceptron):
        def backward(self, g):
            return super().backward(np.asarray(g, dtype=float) / len(g))

    perceptron = MeanPerceptron if convention == "mean" else ref_pc.Perceptron
    runs, rng = {}, np.random.default_rng(0)
    with np.errstate(all="ignore"):
        for method, rate in settings.items():
            model = perceptron(x.shape[1], t.shape[1], learning_rate=float(rate), rng=rng)
            if method != "raw":
                model.x_scaler = ref_ex.Scaler(method).fit(x)
                model.t_scaler = ref_ex.Scaler(method).fit(t)
            runs[method] = (model, ref_pc.train(_scaled(ref_ex, method, x),
                                                _scaled(ref_ex, method, t), model,
                                                ref_pc.MeanSquaredError(), iterations))
    return runs


def _holder(pc, model, rate):
    """A Perceptron of the student's own class holding the reference model's parameters."""
    holder, error = attempt(pc.Perceptron, model.w.shape[0], model.w.shape[1],
                            learning_rate=float(rate), rng=np.random.default_rng(0))
    if error is not None:
        raise error
    holder.w, holder.b, holder.lr = model.w.copy(), model.b.copy(), float(rate)
    for name in ("x_scaler", "t_scaler"):
        if hasattr(model, name):
            setattr(holder, name, getattr(model, name))
    return holder


def test_script_figure(student, reference, artifacts):
    """Running ex_02_<id>.py saves outputs/normalization_comparison.png."""
    ref_ex, ref_pc = reference("ex_02"), reference("perceptron")
    calls = []

    def recording(x, t, settings, max_iteration, rng):
        calls.append((x, t, settings, max_iteration))
        raise _ReachedCompare("recorded: the script stops here")

    with replaced(student("ex_02"), compare_normalizations=recording):
        _, error = attempt(student.run_script, "ex_02")
    if calls:
        x, t, settings, max_iteration = calls[0]
        methods = ("raw", *ref_ex.METHODS)
        expect(isinstance(settings, dict) and bool(settings) and set(settings) <= set(methods)
               and all(_number(rate) for rate in settings.values()),
               "スクリプトが compare_normalizations に渡す settings は、方法 (変換なし・"
               "最大値での正規化・Min-Max 法・標準化) から学習率への辞書にしてください。",
               "The settings the script passes to compare_normalizations must map methods "
               f"({', '.join(methods)}) to learning rates.")
        x, t = as_array(x, "x"), as_array(t, "t")
        expect(x.ndim == 2 and t.ndim == 2 and len(x) == len(t),
               "スクリプトが compare_normalizations に渡す x, t は 2 次元の配列 (N, 入力数), "
               "(N, 1) にしてください。",
               "The x and t the script passes to compare_normalizations must be 2-D arrays, "
               "(N, inputs) and (N, 1).")
        steps = min(max_iteration, FIGURE_ITERATIONS) if _whole_number(max_iteration) \
            and max_iteration > 0 else FIGURE_ITERATIONS
        runs = _figure_runs(ref_ex, ref_pc, x, t, settings, steps,
                            _student_convention(student("perceptron")))
        pc = student("perceptron")
        try:
            prepared = {method: (_holder(pc, model, settings[method]), losses)
                        for method, (model, losses) in runs.items()}
        except Exception:  # noqa: BLE001 - no Perceptron of its own: the script runs as it is
            prepared = None
        rates = ", ".join(f"{method} {rate:g}" for method, rate in settings.items())
        rates_ja = "、".join(f"{METHOD_JA[method]} {rate:g}" for method, rate in settings.items())
        artifacts.note("learning_rates", rates, {
            "ja": f"スクリプトの学習率: {rates_ja} (max_iteration = {max_iteration})。図は参照解の"
                  f"部品でこの学習率のまま {steps} 回まで学習したものです。",
            "en": f"The script's learning rates: {rates} (max_iteration = {max_iteration}). "
                  f"The figure shows the reference's parts trained with them for up to {steps} "
                  "iterations."})

        def stand_in(x, t, settings, max_iteration, rng):
            return {method: prepared[method] for method in settings}

        with replaced(student("ex_02"), **({} if prepared is None else
                                             {"compare_normalizations": stand_in})):
            _, error = attempt(student.run_script, "ex_02")
    if error is not None:
        raise error
    png = student.read_output(FIGURE)
    expect_png(png, label(f"図 outputs/{FIGURE}", f"The figure outputs/{FIGURE}"))
    artifacts.image(FIGURE, png, title={
        "ja": "あなたのスクリプトの図 (学習は参照解の部品で、あなたの学習率、少ない反復回数)",
        "en": "Your script's figure (trained with the reference's parts, your learning "
              "rates, few iterations)"})
