"""公開テスト: scripts/ex_02_<学籍番号>.py / Public tests for ex_02_<student_id>.py."""

from pathlib import Path

import numpy as np

from checks import (CheckFailure, as_array, attempt, call_keeping_arguments, error_text, expect,
                    expect_array, expect_length, expect_number, expect_tuple, label, replaced)

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
        with replaced(ex, train=stand_in_train, **parts):
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


# compare_normalizations だけを確かめるため、使う部品 (Perceptron, MeanSquaredError, train,
# Scaler, train_normalized, normalize_*) をすべて「代役」に置き換えます。代役の Perceptron は
# 決まった重みから始まり、代役の train はその Perceptron を実際に学習して誤差を返し、何を
# 受け取ったかを記録します。代役の変換は方法ごとに決まった一次変換 (x - a) / s です。
# To check compare_normalizations on its own, every part it uses is a stand-in: the
# stand-in Perceptron starts from fixed weights, the stand-in train really trains it,
# returns the losses and records what it was given; the stand-in scalings are a fixed
# (x - a) / s per method.

STAND_IN_SCALING = {"max": (0.0, 2.0), "min_max": (1.0, 4.0), "standardize": (3.0, 5.0)}
CMP_X = np.array([[1.0, 5.0, 2.0], [3.0, 1.0, 0.0], [2.0, 2.0, 4.0], [0.0, 4.0, 1.0],
                  [1.0, 3.0, 3.0]])
CMP_T = np.array([[2.0, 1.0], [1.0, 0.0], [4.0, 2.0], [3.0, 1.0], [2.0, 2.0]])
CMP_SETTINGS = {"raw": 0.002, "max": 0.02, "min_max": 0.03, "standardize": 0.05}
CMP_ITERATIONS = 3


def _scaled(method, data):
    if method not in STAND_IN_SCALING:
        raise ValueError(f"method must be one of {tuple(STAND_IN_SCALING)}")
    shift, scale = STAND_IN_SCALING[method]
    return (np.asarray(data, dtype=float) - shift) / scale


def _whole_number(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and \
        not isinstance(value, bool)


#: How Japanese messages name the methods (the key "raw" is no Japanese word).
METHOD_JA = {"raw": "変換なし", "max": "最大値での正規化", "min_max": "Min-Max 法",
             "standardize": "標準化"}


def _named(method, ja, en):
    """A label about compare_normalizations' entry for ``method``."""
    return label(f"compare_normalizations(...) の{METHOD_JA.get(method, '?')}の{ja}",
                 f'compare_normalizations(...)["{method}"]{en}')


class _Bench:
    """The stand-ins and what they saw: the Perceptrons made, the trainings done."""

    def __init__(self):
        self.made, self.trainings = [], []
        bench = self

        class Perceptron:
            def __init__(self, n_in, n_out, learning_rate=0.01, rng=None):
                self.index, self.lr, self.size = len(bench.made), learning_rate, (n_in, n_out)
                self.w = self.b = None
                if _whole_number(n_in) and _whole_number(n_out) and n_in > 0 and n_out > 0:
                    self.w = np.linspace(-0.5, 0.5, n_in * n_out).reshape(n_in, n_out)
                    self.b = np.full(n_out, 0.1)
                bench.made.append(self)

            def forward(self, x):
                return np.asarray(x, dtype=float) @ self.w + self.b

            def stand_in_index(self):
                return self.index

        class MeanSquaredError:
            def forward(self, y, t):
                return float(np.sum((np.asarray(y) - np.asarray(t)) ** 2) / len(y))

            def backward(self):
                return None

        class Scaler:
            def __init__(self, method):
                _scaled(method, 0.0)
                self.method = method

            def fit(self, x):
                return self

            def transform(self, x):
                return _scaled(self.method, x)

            def fit_transform(self, x):
                return _scaled(self.method, x)

            def inverse_transform(self, x):
                shift, scale = STAND_IN_SCALING[self.method]
                return np.asarray(x, dtype=float) * scale + shift

        def train(x, t, model, loss_fn, max_iteration):  # train's own argument names
            index = getattr(model, "index", None) if isinstance(model, Perceptron) else None
            return bench.train(x, t, index, max_iteration)

        def train_normalized(x, t, method, learning_rate, max_iteration, rng):
            x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
            scaled_x, scaled_t = _scaled(method, x), _scaled(method, t)
            model = Perceptron(x.shape[1], t.shape[1], learning_rate=learning_rate)
            return model, bench.train(scaled_x, scaled_t, model.index, max_iteration)

        self.parts = {"Perceptron": Perceptron, "MeanSquaredError": MeanSquaredError,
                      "Scaler": Scaler, "train": train, "train_normalized": train_normalized,
                      "normalize_max": lambda x: _scaled("max", x),
                      "normalize_min_max": lambda x: _scaled("min_max", x),
                      "standardize": lambda x: _scaled("standardize", x)}

    def train(self, x, t, index, max_iteration):
        """Train the Perceptron given (in grading, the oldest one not trained yet)."""
        if index is None:
            waiting = [p.index for p in self.made
                       if not any(done[0] == p.index for done in self.trainings)]
            index = waiting[0] if waiting else (len(self.made) - 1 if self.made else None)
        x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
        steps = max_iteration if _whole_number(max_iteration) and max_iteration > 0 else 0
        model = self.made[index] if index is not None else None
        losses = [0.0] * steps
        if model is not None and model.w is not None and x.ndim == t.ndim == 2 and \
                model.w.shape == (x.shape[1], t.shape[1]) and _number(model.lr):
            with np.errstate(all="ignore"):
                for step in range(steps):
                    error = x @ model.w + model.b - t
                    losses[step] = float(np.sum(error ** 2) / len(x))
                    model.w = model.w - model.lr * (x.T @ (2 * error))
                    model.b = model.b - model.lr * np.sum(2 * error, axis=0)
        self.trainings.append((index, x, t, max_iteration, losses))
        return list(losses)


def _index_of(model):
    index, _ = attempt(lambda: model.stand_in_index())
    return index if _whole_number(index) else None


def _check_comparison(result, bench):
    """compare_normalizations' result against what the stand-ins saw, method by method."""
    expect(isinstance(result, dict),
           "compare_normalizations は {方法: (model, losses)} の辞書を返してください。",
           "compare_normalizations must return a dict {method: (model, losses)}.")
    expect(set(result) == set(CMP_SETTINGS),
           "返した辞書のキーが settings のキー (方法) と違います。",
           f"The keys of the dict returned, {sorted(map(str, result))}, differ from the "
           f"methods of settings, {sorted(CMP_SETTINGS)}.")
    seen = {}
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
               "1 つの Perceptron を複数の方法で学習し続けています。方法ごとに新しい Perceptron "
               "を作ってください。",
               "One Perceptron is trained for several methods in turn. Make a new "
               "Perceptron for every method.")
        seen[index] = method
        made = bench.made[index]
        expect(made.size == (CMP_X.shape[1], CMP_T.shape[1]),
               f"{ja}の Perceptron の大きさ (n_in, n_out) が {made.size} です。"
               f"(x.shape[1], t.shape[1]) = {(CMP_X.shape[1], CMP_T.shape[1])} にしてください。",
               f'The Perceptron of "{method}" has (n_in, n_out) = {made.size}; it must be '
               f"(x.shape[1], t.shape[1]) = {(CMP_X.shape[1], CMP_T.shape[1])}.",
               hint_id="transposed" if made.size == (CMP_T.shape[1], CMP_X.shape[1]) else None)
        expect_number(made.lr, rate, label(f"{ja}の Perceptron の学習率 (settings から)",
                                           f'the learning rate of the Perceptron of "{method}" '
                                           "(from settings)"))
        _, given_x, given_t, iterations, returned = trainings[0]
        for given, data, what in ((given_x, CMP_X, "x"), (given_t, CMP_T, "t")):
            expect_array(given, data if method == "raw" else _scaled(method, data),
                         label(f"{ja}で train に渡した {what}",
                               f'the {what} passed to train for "{method}"'))
        expect(iterations == CMP_ITERATIONS, "train に max_iteration をそのまま渡してください。",
               "Pass max_iteration on to train.")
        values = as_array(losses, _named(method, "losses", " (losses)")).ravel()
        expect_length(values, CMP_ITERATIONS, _named(method, "losses", " (losses)"))
        expect_array(values, returned, _named(method, "losses (train が返した誤差)",
                                              " (losses: what train returned)"))


def test_compare_normalizations(student):
    """方法ごとに新しい Perceptron を settings の学習率で学習する (部品はすべて代役)."""
    ex = student("ex_02")
    bench = _Bench()
    with replaced(ex, **bench.parts), replaced(student("perceptron"), **{
            name: bench.parts[name] for name in ("Perceptron", "MeanSquaredError", "train")}):
        result, error = attempt(call_keeping_arguments, ex.compare_normalizations, CMP_X.copy(),
                                CMP_T.copy(), dict(CMP_SETTINGS), CMP_ITERATIONS,
                                np.random.default_rng(0), what="compare_normalizations")
    if error is None:
        _check_comparison(result, bench)
        return
    # It needs more of its own parts than the stand-ins offer (reads model.w, sets
    # model.lr ...): run it on your own parts and check what can be checked without them.
    result, error = attempt(ex.compare_normalizations, CMP_X.copy(), CMP_T.copy(),
                            dict(CMP_SETTINGS), CMP_ITERATIONS, np.random.default_rng(0))
    if error is not None:
        raise error
    expect(isinstance(result, dict) and set(result) == set(CMP_SETTINGS),
           "compare_normalizations は settings と同じキーの辞書 {方法: (model, losses)} を"
           "返してください。",
           "compare_normalizations must return a dict {method: (model, losses)} with the "
           "keys of settings.")
    weights = []
    for method in CMP_SETTINGS:
        model, losses = expect_tuple(result[method], 2, _named(method, "値 (model, losses)",
                                                                " (model, losses)"))
        expect_length(as_array(losses, _named(method, "losses", " (losses)")).ravel(),
                      CMP_ITERATIONS, _named(method, "losses", " (losses)"))
        value, _ = attempt(lambda model=model: np.asarray(model.w, dtype=float))
        expect(not any(value is not None and other.shape == value.shape
                       and np.array_equal(other, value) for other in weights),
               "1 つの Perceptron を複数の方法で学習し続けています。方法ごとに新しい Perceptron "
               "を作ってください。",
               "One Perceptron is trained for several methods in turn. Make a new "
               "Perceptron for every method.")
        weights += [value] if value is not None else []


class _ReachedCompare(Exception):
    """The stand-in compare_normalizations stops the script there."""


def _advertising():
    path = Path(__file__).resolve().parent.parent / "data" / "advertising.csv"
    table = np.genfromtxt(path, delimiter=",", names=True)
    return (np.column_stack([table["TV"], table["Radio"], table["Newspaper"]]),
            table["Sales"].reshape(-1, 1))


def test_script_settings(student):
    """スクリプトが元の単位のデータと 4 つの方法の学習率で compare_normalizations を呼ぶ
    (学習と図はここでは行わない)."""
    ex = student("ex_02")
    calls = []

    def stand_in_compare(x, t, settings, max_iteration, rng):
        calls.append((x, t, settings, max_iteration))
        raise _ReachedCompare("the test stops the script here")

    with replaced(ex, compare_normalizations=stand_in_compare):
        _, error = attempt(student.run_script, "ex_02")
    detail = f" ({error_text(error)})" if error is not None and not calls else ""
    expect(bool(calls),
           "スクリプト (if __name__ == \"__main__\": の部分) が compare_normalizations を呼ぶ"
           f"ところまで進みません{detail}。",
           "The script (the if __name__ == \"__main__\": part) does not get as far as calling "
           f"compare_normalizations{detail}.")
    x, t, settings, max_iteration = calls[0]
    methods = ("raw", *STAND_IN_SCALING)
    expect(isinstance(settings, dict) and sorted(settings) == sorted(methods),
           "settings には 4 つの方法 (変換なし・最大値での正規化・Min-Max 法・標準化) の学習率を"
           "入れてください (キーは TASK.ja.md の 3. のとおり)。",
           f"settings must hold a learning rate for each of the four methods "
           f"{', '.join(methods)}.")
    for method, rate in settings.items():
        expect(_number(rate) and np.isfinite(rate) and rate > 0,
               f"settings の{METHOD_JA[method]}の学習率は正の数にしてください。",
               f'settings["{method}"] (a learning rate) must be a positive number.')
    expect(_whole_number(max_iteration) and max_iteration > 0,
           "max_iteration (学習回数) は正の整数にしてください。",
           "max_iteration (the number of iterations) must be a positive integer.")
    raw_x, raw_t = _advertising()
    try:
        expect_array(x, raw_x, label("compare_normalizations に渡した x (元の単位のデータ)",
                                     "the x passed to compare_normalizations (the data in "
                                     "its own units)"))
    except CheckFailure as failure:
        raise CheckFailure(
            failure.bilingual["ja"] + "\nx はデータの 3 つの列 (広告費) を、100 で割らずに"
            "そのまま使います (perceptron.py の load_data とは違います)。",
            failure.bilingual["en"] + "\nx holds the columns TV, Radio and Newspaper as they "
            "are, not divided by 100 (unlike perceptron.py's load_data).", failure.details,
            failure.diagnoses, hints=failure.hints, values_ja=failure.values["ja"],
            values_en=failure.values["en"]) from None
    expect_array(t, raw_t, label("compare_normalizations に渡した t (Sales, 形 (N, 1))",
                                 "the t passed to compare_normalizations (Sales, shape (N, 1))"))
