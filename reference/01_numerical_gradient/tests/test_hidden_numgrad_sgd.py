"""Hidden tests: scripts/sgd.py (train_sgd, mini-batch learning).

train_sgd is judged alone: its get_minibatch and iterate_minibatches are replaced, for
these tests, by stand-ins of the test (:class:`Sampler`) that hand out mini-batches
drawn with the test's own random numbers and remember them, so a mistake in
minibatch.py costs nothing here. Two tests on disjoint properties:

* ``test_train_sgd_draws_batches``: *how* the mini-batches are asked for (replace=True:
  get_minibatch(..., replace=True) ceil(N / batch_size) times an epoch, or rounded down as
  003 「1エポックあたりの繰り返し数」 has it; replace=False: iterate_minibatches once an
  epoch). The losses are not looked at.
* ``test_train_sgd_losses``: *what* is done with the mini-batches handed out, whatever
  their number: the losses and the final W, b against a replay of the same mini-batches
  (the reference's train_sgd for the kit's way, the test's replay for the other ways the
  slides allow: E with or without ½, the loss recorded before or after the update). A
  train_sgd that draws its mini-batches itself (no stand-in is called; the drawing test
  fails it) is judged on full batches instead (batch_size = N: every order of the rows
  gives the same gradient), so that this costs the drawing test alone.

Conventions recognised (from the values): ``sgd_iterations`` (ceil / floor),
``sgd_loss`` (half / mean), ``sgd_record`` (before_update / after_update).
The messages name N, batch_size, epochs and call counts, never the data or the values.
"""

import contextlib

import numpy as np

from checks import (CheckFailure, Hint, Mistake, as_array, attempt, call_keeping_arguments,
                    expect, expect_array, expect_tuple, label)

N, N_IN, BATCH, EPOCHS, LR = 23, 3, 5, 3, 0.1

#: Kinds of difference the losses test recognises (checks.HINTS has none for a loop).
HINTS = {
    "update_sign": Hint(
        "update_sign",
        "W と b を勾配の方向 (損失が増える方向) に動かしているようです。更新は "
        "W <- W - lr g_W、b <- b - lr g_b です (スライド: 002 「最急降下法における更新式」)。",
        "W and b seem to move along the gradient (where the loss grows). The update is "
        "W <- W - lr g_W, b <- b - lr g_b (slides: 002 「最急降下法における更新式」)."),
    "bias_not_updated": Hint(
        "bias_not_updated",
        "b が更新されていないようです (W だけが学習されています)。b <- b - lr g_b、"
        "g_b = Σ_行 (y - t) / n です。",
        "b seems never to be updated (only W learns). b <- b - lr g_b with "
        "g_b = Σ_rows (y - t) / n."),
    "fixed_learning_rate": Hint(
        "fixed_learning_rate",
        "引数の lr ではなく、決まった学習率で更新しているようです。W <- W - lr g_W の lr は"
        "引数の値を使ってください。",
        "The update seems to use a fixed learning rate instead of the lr argument. Use the "
        "argument in W <- W - lr g_W."),
}


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _data(seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-2.0, 2.0, (N, N_IN)), 3)
    t = np.round(x @ np.array([[1.0], [-0.5], [0.25]]) + 0.3 + 0.2 * rng.standard_normal((N, 1)),
                 3)
    return x, t, np.array([[0.2], [0.1], [-0.3]]), np.array([0.05])


class Sampler:
    """Stand-ins for get_minibatch and iterate_minibatches: they draw with the test's own
    generator (the student's rng is never used), and remember the calls and every
    mini-batch handed out, in order."""

    def __init__(self, x, t, seed):
        self.x, self.t = x, t
        self.random = np.random.default_rng(seed)
        self.calls = []
        self.handed = []

    def get_minibatch(self, x, t, batch_size, rng=None, replace=True):
        self.calls.append(("get_minibatch", batch_size, replace, np.shape(x), np.shape(t)))
        rows = self.random.choice(len(self.x), int(batch_size), replace=bool(replace))
        self.handed.append(rows)
        return self.x[rows], self.t[rows]

    def iterate_minibatches(self, x, t, batch_size, rng=None, shuffle=True):
        self.calls.append(("iterate_minibatches", batch_size, shuffle, np.shape(x),
                           np.shape(t)))
        order = self.random.permutation(len(self.x)) if shuffle else np.arange(len(self.x))
        batches = []
        for start in range(0, len(order), int(batch_size)):
            rows = order[start:start + int(batch_size)]
            self.handed.append(rows)
            batches.append((self.x[rows], self.t[rows]))
        return batches


class Replay:
    """Stand-ins that hand out the given mini-batches again, in the same order."""

    def __init__(self, x, t, handed):
        self.batches = [(x[rows], t[rows]) for rows in handed]
        self.next = 0

    def get_minibatch(self, *args, **kwargs):
        batch = self.batches[self.next % len(self.batches)]
        self.next += 1
        return batch

    def iterate_minibatches(self, *args, **kwargs):
        rest, self.next = self.batches[self.next:], len(self.batches)
        return rest


@contextlib.contextmanager
def _parts(module, sampler):
    """The module's get_minibatch and iterate_minibatches are the sampler's meanwhile."""
    names = ("get_minibatch", "iterate_minibatches")
    original = {name: getattr(module, name) for name in names}
    for name in names:
        setattr(module, name, getattr(sampler, name))
    try:
        yield
    finally:
        for name in names:
            with contextlib.suppress(Exception):  # a worker that stopped has nothing to restore
                setattr(module, name, original[name])


def _run(sg, x, t, W, b, replace, seed, epochs, *, keep=True, batch_size=BATCH):
    """(what, result, error, sampler) of one call of train_sgd with the stand-ins.

    ``keep``: fail when train_sgd changes an array it was given (the losses test);
    otherwise an exception of the student's code is returned, not raised (the drawing
    test judges the calls made before it).
    """
    sampler = Sampler(x, t, seed)
    text = (f"train_sgd(x, t, W, b, batch_size={batch_size}, epochs={epochs}, lr={LR}, rng, "
            f"replace={replace}) (N = {N})")
    what = label(text, text)
    arguments = (x.copy(), t.copy(), W.copy(), b.copy())
    options = {"batch_size": batch_size, "epochs": epochs, "lr": LR,
               "rng": np.random.default_rng(seed), "replace": replace}
    with _parts(sg, sampler):
        if keep:
            result, error = call_keeping_arguments(sg.train_sgd, *arguments, what=what,
                                                   **options), None
        else:
            result, error = attempt(sg.train_sgd, *arguments, **options)
    return what, result, error, sampler


# ----------------------------------------------------------------------------- drawing


def _used_the_functions(what, sampler, error, mistakes):
    """A failure when train_sgd ran through without calling either stand-in."""
    expect(bool(sampler.calls) or error is not None,
           f"{what['ja']} が get_minibatch も iterate_minibatches も呼びませんでした。"
           "ミニバッチは minibatch.py の関数で取ってください。",
           f"{what['en']} called neither get_minibatch nor iterate_minibatches. Draw the "
           "mini-batches with minibatch.py's functions.",
           _mistake(mistakes, "sgd_own_sampling"))


def test_train_sgd_draws_batches(student, mistakes, conventions):
    """replace=True: get_minibatch(x, t, batch_size, rng, replace=True), ceil(N / B) (or
    floor(N / B)) times an epoch; replace=False: iterate_minibatches once an epoch.

    Only the calls are judged. When train_sgd raises (its arithmetic is the other test's
    business), the calls made until then are judged as far as they go.
    """
    sg = student("sgd")
    x, t, W, b = _data(31)
    ceil, floor = -(-N // BATCH), N // BATCH
    what, _, error, sampler = _run(sg, x, t, W, b, True, 32, EPOCHS, keep=False)
    names = [call[0] for call in sampler.calls]
    _used_the_functions(what, sampler, error, mistakes)
    expect("iterate_minibatches" not in names,
           f"{what['ja']} が iterate_minibatches を呼びました。復元抽出 (replace=True) では毎回 "
           "get_minibatch(x, t, batch_size, rng, replace=True) でミニバッチを取ります。",
           f"{what['en']} called iterate_minibatches. With replacement (replace=True), draw "
           "each mini-batch with get_minibatch(x, t, batch_size, rng, replace=True).",
           _mistake(mistakes, "sgd_replace_ignored"))
    expect(all(call[1:] == (BATCH, True, x.shape, t.shape) for call in sampler.calls),
           f"{what['ja']}: get_minibatch は x 全体 {x.shape}、t 全体 {t.shape}、"
           f"batch_size={BATCH}、replace=True で呼んでください。",
           f"{what['en']}: call get_minibatch with the whole x {x.shape} and t {t.shape}, "
           f"batch_size={BATCH} and replace=True.")
    counts = {EPOCHS * ceil: "ceil", EPOCHS * floor: "floor"}
    expect(len(names) in counts or (error is not None and len(names) < EPOCHS * ceil),
           f"{what['ja']} が get_minibatch を {len(names)} 回呼びました。1 エポックで "
           f"ceil(N / batch_size) = {ceil} 回 (切り捨てなら {floor} 回)、{EPOCHS} エポックで "
           f"{EPOCHS * ceil} 回 ({EPOCHS * floor} 回) です。",
           f"{what['en']} called get_minibatch {len(names)} times: ceil(N / batch_size) = "
           f"{ceil} times an epoch ({floor} rounded down), {EPOCHS * ceil} "
           f"({EPOCHS * floor}) in {EPOCHS} epochs.")
    if error is None:
        conventions.recognised("sgd_iterations", counts[len(names)])

    what, _, error, sampler = _run(sg, x, t, W, b, False, 33, EPOCHS, keep=False)
    names = [call[0] for call in sampler.calls]
    _used_the_functions(what, sampler, error, mistakes)
    per_step = all(call[2] is False for call in sampler.calls if call[0] == "get_minibatch")
    expect("get_minibatch" not in names,
           f"{what['ja']} が get_minibatch を呼びました。非復元抽出 (replace=False) では 1 エポック"
           "ごとに iterate_minibatches で全サンプルを 1 回ずつ回ります。",
           f"{what['en']} called get_minibatch. Without replacement (replace=False), walk "
           "every epoch with iterate_minibatches (every sample once).",
           _mistake(mistakes, "sgd_no_epoch_walk" if per_step else "sgd_replace_ignored"))
    expect(len(names) == EPOCHS or (error is not None and len(names) <= EPOCHS),
           f"{what['ja']} が iterate_minibatches を {len(names)} 回呼びました。1 エポックに 1 回、"
           f"{EPOCHS} 回です。",
           f"{what['en']} called iterate_minibatches {len(names)} times: once an epoch, "
           f"{EPOCHS} times.")
    expect(all(call[1:] == (BATCH, True, x.shape, t.shape) for call in sampler.calls),
           f"{what['ja']}: iterate_minibatches は x 全体 {x.shape}、t 全体 {t.shape}、"
           f"batch_size={BATCH}、shuffle=True (既定) で呼んでください。",
           f"{what['en']}: call iterate_minibatches with the whole x {x.shape} and t "
           f"{t.shape}, batch_size={BATCH} and shuffle=True (the default).")


# ----------------------------------------------------------------------------- losses


def _replay(x, t, W, b, handed, *, half=True, after=False, sign=1.0, average=True,
            average_loss=True, update_b=True, lr=LR):
    """(W, b, losses) of the update loop over the mini-batches ``handed``, in one of the
    ways the slides allow (half, after) or with a slip (the other switches)."""
    W, b, losses = np.array(W, dtype=float), np.array(b, dtype=float), []
    scale = 0.5 if half else 1.0
    for rows in handed:
        x_batch, t_batch = x[rows], t[rows]
        n = len(rows)
        error = x_batch @ W + b - t_batch
        loss = scale * float(np.sum(error ** 2)) / (n if average_loss else 1)
        divide = n if average else 1
        W = W - sign * lr * (2 * scale) * (x_batch.T @ error) / divide
        if update_b:
            b = b - sign * lr * (2 * scale) * np.sum(error, axis=0) / divide
        if after:
            after_error = x_batch @ W + b - t_batch
            loss = scale * float(np.sum(after_error ** 2)) / (n if average_loss else 1)
        losses.append(loss)
    return W, b, np.array(losses)


def _reference_run(ref, x, t, W, b, handed):
    """The reference's train_sgd over the same mini-batches (the kit's way)."""
    replay = Replay(x, t, handed)
    saved = (ref.get_minibatch, ref.iterate_minibatches)
    ref.get_minibatch, ref.iterate_minibatches = replay.get_minibatch, replay.iterate_minibatches
    try:
        # One epoch that walks the mini-batches handed out to the student, whatever their
        # number: replace=False takes them all from the one iterate_minibatches call.
        return ref.train_sgd(x, t, W, b, BATCH, 1, LR, None, replace=False)
    finally:
        ref.get_minibatch, ref.iterate_minibatches = saved


WAYS = {("half", "before_update"): {"half": True, "after": False},
        ("half", "after_update"): {"half": True, "after": True},
        ("mean", "before_update"): {"half": False, "after": False},
        ("mean", "after_update"): {"half": False, "after": True}}


def _losses(result, what, count):
    W, b, losses = expect_tuple(result, 3, what)
    losses = as_array(losses, label(f"{what['ja']} の losses", f"{what['en']}: losses"))
    if losses.ndim == 2 and losses.shape[1] == 1:
        losses = losses[:, 0]  # a column of losses: the values count
    expect(losses.shape == (count,),
           f"{what['ja']} の losses の形が {losses.shape} です。更新 1 回に 1 つ、{count} 個です "
           f"(渡されたミニバッチは {count} 個)。",
           f"{what['en']}: losses has shape {losses.shape}. It holds one value per update: "
           f"{count} ({count} mini-batches were handed out).")
    return W, b, losses


def _slip(losses, x, t, W, b, handed):
    """The hint for a slip the losses match, if any."""
    slips = (("update_sign", {"sign": -1.0}), ("bias_not_updated", {"update_b": False}),
             ("fixed_learning_rate", {"lr": 0.01}), ("fixed_learning_rate", {"lr": 0.001}))
    for hint_id, switches in slips:
        for after in (False, True):
            for half in (True, False):
                _, _, curve = _replay(x, t, W, b, handed, half=half, after=after, **switches)
                if curve.shape == losses.shape and np.allclose(losses, curve, rtol=1e-6,
                                                               atol=1e-12):
                    return HINTS[hint_id]
    return None


def test_train_sgd_losses(student, reference, mistakes, conventions):
    """The losses and the final W, b against a replay of the mini-batches handed out
    (replace=False, then replace=True); the way of the first run is recognised."""
    sg, ref = student("sgd"), reference("sgd")
    x, t, W, b = _data(41)
    recognised = None
    for number, replace in enumerate((False, True)):
        what, result, _, sampler = _run(sg, x, t, W, b, replace, 42 + number, 2)
        handed = sampler.handed
        if not handed:
            # The mini-batches were drawn without minibatch.py's functions (the drawing
            # test says so): judge the arithmetic on full batches (batch_size = N, without
            # replacement), whose gradient does not depend on the order of the rows.
            what, result, _, sampler = _run(sg, x, t, W, b, False, 44, 3, batch_size=N)
            handed = sampler.handed or [np.arange(N)] * 3
        W_s, b_s, losses = _losses(result, what, len(handed))
        runs = {way: _replay(x, t, W, b, handed, **switches)
                for way, switches in WAYS.items()}
        runs[("half", "before_update")] = _reference_run(ref, x, t, W, b, handed)
        matching = [way for way, (_, _, curve) in runs.items()
                    if np.allclose(losses, curve, rtol=1e-6, atol=1e-12)]
        if recognised is None and matching:
            recognised = matching[0]
            conventions.recognised("sgd_loss", recognised[0])
            conventions.recognised("sgd_record", recognised[1])
        way = recognised if recognised in matching or not matching else matching[0]
        way = way or ("half", "before_update")
        W_ref, b_ref, curve = runs[way]
        summed = [_replay(x, t, W, b, handed, half=half, after=after, average=False,
                          average_loss=average_loss)[2]
                  for half in (True, False) for after in (False, True)
                  for average_loss in (True, False)]
        losses_what = label(f"{what['ja']} の losses (ミニバッチごとの損失)",
                            f"{what['en']}: losses (the loss of each mini-batch)")
        if not matching:
            hint = _slip(losses, x, t, W, b, handed)
            if hint is not None:
                raise CheckFailure(
                    f"{losses_what['ja']} が期待と違います。\nヒント: {hint.ja}",
                    f"{losses_what['en']} differ from the expected ones.\nHint: {hint.en}",
                    hints=[hint.id])
        expect_array(losses, curve, losses_what, rtol=1e-6, atol=1e-12,
                     mistakes=[(_mistake(mistakes, "sgd_sum_not_mean"), wrong)
                               for wrong in summed])
        expect_array(W_s, W_ref, label(f"{what['ja']} の W (学習後)",
                                       f"{what['en']}: W (after training)"), rtol=1e-6)
        expect_array(b_s, b_ref, label(f"{what['ja']} の b (学習後)",
                                       f"{what['en']}: b (after training)"), rtol=1e-6)
        if not sampler.handed or handed is not sampler.handed:
            break  # judged on full batches once
