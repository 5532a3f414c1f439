"""Hidden tests: scripts/minibatch.py (get_minibatch, iterate_minibatches).

These tests never depend on the student's random draws. Every row of x is unique and
t identifies its row too (a label or a one-hot row per sample), so each batch can be
traced back to the rows it came from. Each test judges one property and assumes as
little as it can about the others, so that one mistake costs once:

* get_minibatch: ``same_rows`` (shapes, rows of the data, x and t from the same rows),
  ``without_replacement`` (no repeated row; looks at x_batch alone, as returned),
  ``uses_rng`` (the same seed gives the same batch, another seed another one; compares
  the returned arrays, whatever their shape).
* iterate_minibatches: ``every_sample_once`` (x only: coverage, sizes, the last partial
  batch), ``x_t_aligned``, ``in_order_without_shuffle`` (each yielded batch is the next
  slice; how many there are is the first test's business), ``shuffles_with_rng``.

The messages name shapes, N and batch_size (they help), never the data or the rows drawn.
"""

import math

import numpy as np

from checks import CheckFailure, Hint, Mistake, as_array, expect, expect_array, expect_tuple, label

#: The order is the original one (recognised by the test; checks.HINTS has no such hint).
NOT_SHUFFLED = Hint(
    "not_shuffled",
    "並べ替えの結果が使われていないようです。rng.permutation(n) は並べ替えた *新しい* 配列を"
    "返します (order = rng.permutation(n) と代入する。rng.shuffle(order) はその場で並べ替え"
    "ます)。",
    "The permutation seems not to be used: rng.permutation(n) returns a *new*, shuffled "
    "array (assign it, order = rng.permutation(n); rng.shuffle(order) shuffles in place).")


def _data(n, seed, one_hot=False):
    """x: (n, 3) with unique rows; t: labels 100..100+n-1, or one-hot rows of eye(n)."""
    x = np.round(np.random.default_rng(seed).standard_normal((n, 3)), 6)
    t = np.eye(n) if one_hot else np.arange(100, 100 + n)
    return x, t


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _part(what, ja, en):
    """``what`` (a label) followed by more words in each language."""
    return label(f"{what['ja']}{ja}", f"{what['en']}{en}")


def _locate(source, batch, what):
    """The row of ``source`` each row of ``batch`` is (a failure if one is not there)."""
    batch = as_array(batch, what)
    expect(batch.ndim == source.ndim and batch.shape[1:] == source.shape[1:],
           f"{what['ja']} の形 {batch.shape} が元のデータ {source.shape} と合いません "
           f"(期待: (batch_size,) + {source.shape[1:]})。",
           f"{what['en']} has shape {batch.shape}, which does not fit the data {source.shape} "
           f"(expected (batch_size,) + {source.shape[1:]}).")
    if len(batch) == 0:
        return np.zeros(0, dtype=int)
    flat_source = source.reshape(len(source), -1).astype(float)
    flat_batch = batch.reshape(len(batch), -1)
    distance = np.abs(flat_batch[:, None, :] - flat_source[None, :, :]).max(axis=2)
    index = distance.argmin(axis=1)
    missing = np.flatnonzero(distance[np.arange(len(batch)), index] > 1e-12)
    expect(not len(missing),
           f"{what['ja']} の {int(missing[0]) if len(missing) else 0} 行目が元のデータのどの行"
           "とも一致しません。元の行をそのまま取り出してください。",
           f"Row {int(missing[0]) if len(missing) else 0} of {what['en']} is not a row of the "
           "data. Take the original rows as they are.")
    return index


def _check_batch(result, x, t, batch_size, what, mistakes):
    """(x_batch, t_batch): shapes, rows from x and t, aligned. Returns the row indices."""
    x_batch, t_batch = expect_tuple(result, 2, what)
    what_x = _part(what, " の x_batch", ": x_batch")
    what_t = _part(what, " の t_batch", ": t_batch")
    x_batch, t_batch = as_array(x_batch, what_x), as_array(t_batch, what_t)
    wanted_x, wanted_t = (batch_size,) + x.shape[1:], (batch_size,) + t.shape[1:]
    swapped = x_batch.shape == wanted_x[::-1] and wanted_x != wanted_x[::-1]
    expect(not swapped,
           f"{what_x['ja']} の形が {x_batch.shape} です (期待 {wanted_x})。",
           f"{what_x['en']} has shape {x_batch.shape} (expected {wanted_x}).",
           hint_id="transposed")
    for batch, wanted, name in ((x_batch, wanted_x, what_x), (t_batch, wanted_t, what_t)):
        expect(batch.shape == wanted,
               f"{name['ja']} の形が {batch.shape} です (期待 {wanted})。",
               f"{name['en']} has shape {batch.shape} (expected {wanted}).")
    rows_x = _locate(x, x_batch, what_x)
    rows_t = _locate(t, t_batch, what_t)
    wrong = np.flatnonzero(rows_x != rows_t)
    first = int(wrong[0]) if len(wrong) else 0
    expect(not len(wrong),
           f"{what['ja']}: x_batch と t_batch の対応がずれています (x_batch[{first}] と "
           f"t_batch[{first}] が元の同じ行ではありません)。",
           f"{what['en']}: x_batch and t_batch do not belong together (x_batch[{first}] and "
           f"t_batch[{first}] are not the same row of the data).",
           _mistake(mistakes, "mb_misaligned"))
    return rows_x


def _draw(mb, x, t, batch_size, seed, replace):
    return mb.get_minibatch(x.copy(), t.copy(), batch_size, np.random.default_rng(seed),
                            replace=replace)


# ----------------------------------------------------------------------------- get_minibatch


def test_get_minibatch_same_rows(student, mistakes):
    """Shapes, rows of the data, x_batch[i] and t_batch[i] from the same row (both modes,
    a batch larger than the data with replacement, labels and one-hot t)."""
    mb = student("minibatch")
    for n, batch_size, seed, one_hot, replace in ((20, 8, 1, False, True), (5, 12, 2, True, True),
                                                  (20, 7, 5, False, False),
                                                  (10, 10, 4, True, False)):
        x, t = _data(n, seed, one_hot)
        what = label(f"get_minibatch(x, t, {batch_size}, rng, replace={replace}) (N = {n})",
                     f"get_minibatch(x, t, {batch_size}, rng, replace={replace}) (N = {n})")
        _check_batch(_draw(mb, x, t, batch_size, seed, replace), x, t, batch_size, what,
                     mistakes)


def test_get_minibatch_without_replacement(student, mistakes):
    """replace=False: no row of x_batch repeats (x_batch alone, as returned)."""
    mb = student("minibatch")
    for n, batch_size, seed, one_hot in ((10, 10, 3, False), (20, 7, 5, False),
                                         (10, 10, 6, True)):
        x, t = _data(n, seed, one_hot)
        what = label(f"get_minibatch(x, t, {batch_size}, rng, replace=False) (N = {n})",
                     f"get_minibatch(x, t, {batch_size}, rng, replace=False) (N = {n})")
        x_batch, _ = expect_tuple(_draw(mb, x, t, batch_size, seed, False), 2, what)
        x_batch = as_array(x_batch, _part(what, " の x_batch", ": x_batch"))
        expect(x_batch.ndim >= 1 and len(x_batch) > 0,
               f"{what['ja']} の x_batch が空です。", f"{what['en']}: x_batch is empty.")
        rows = x_batch.reshape(len(x_batch), -1)
        repeated = len(rows) - len(np.unique(rows, axis=0))
        expect(repeated == 0,
               f"{what['ja']}: x_batch に同じ行が重複しています ({repeated} 行)。",
               f"{what['en']}: x_batch repeats rows ({repeated} repeats).",
               _mistake(mistakes, "mb_duplicates"))


def test_get_minibatch_uses_rng(student, mistakes):
    """The same seed gives the same batch; another seed another batch."""
    mb = student("minibatch")
    x, t = _data(50, 7)
    for replace in (True, False):
        what = label(f"get_minibatch(x, t, 10, rng, replace={replace})",
                     f"get_minibatch(x, t, 10, rng, replace={replace})")
        batches = []
        for seed in (7, 7, 8):
            x_batch, t_batch = expect_tuple(_draw(mb, x, t, 10, seed, replace), 2, what)
            batches.append((as_array(x_batch, _part(what, " の x_batch", ": x_batch")),
                            as_array(t_batch, _part(what, " の t_batch", ": t_batch"))))
        (x1, t1), (x2, t2), (x3, _) = batches
        expect(bool(np.array_equal(x1, x2) and np.array_equal(t1, t2)),
               f"{what['ja']} を同じシード値の rng で 2 回呼ぶと、違うバッチになりました。",
               f"Two calls of {what['en']} with rngs of the same seed gave different batches.",
               _mistake(mistakes, "mb_ignores_rng"))
        expect(not np.array_equal(x1, x3),
               f"{what['ja']} の rng のシード値を変えても同じバッチになりました。関数の中で"
               "作った乱数ではなく、引数の rng を使ってください。",
               f"{what['en']} gave the same batch for rngs of different seeds. Use the rng "
               "argument, not one made inside the function.",
               _mistake(mistakes, "mb_ignores_rng"))


# ----------------------------------------------------------------------------- iterate_minibatches


def _epoch(mb, x, t, batch_size, seed, shuffle=True):
    """(what, batches, returned_list): the (x_batch, t_batch) pairs of one call.

    Stops if the call yields more than an epoch; ``returned_list`` says whether the
    student returned a list of batches instead of a generator (accepted).
    """
    text = (f"iterate_minibatches(x, t, {batch_size}, rng, shuffle={shuffle}) "
            f"(N = {len(x)})")
    what = label(text, text)
    result = mb.iterate_minibatches(x.copy(), t.copy(), batch_size,
                                    np.random.default_rng(seed), shuffle=shuffle)
    expect(result is not None,
           f"{text} が None を返しました。yield でミニバッチを返してください。",
           f"{text} returned None. Yield the mini-batches.")
    limit = math.ceil(len(x) / batch_size) + 2
    batches = []
    for number, batch in enumerate(result):
        expect(number < limit,
               f"{text} が {limit} 個より多くのバッチを返しました。1 回の呼び出しは 1 エポック"
               "です (全サンプルを 1 回ずつ返したら終わる)。",
               f"{text} yielded more than {limit} batches. One call is one epoch: stop after "
               "every sample has been yielded once.")
        batches.append(expect_tuple(batch, 2, _part(what, " の各バッチ", ": each batch")))
    return what, batches, isinstance(result, (list, tuple))


def _order(x, batches, what):
    """The rows of x, in the order the batches hold them."""
    rows = [_locate(x, x_batch, _part(what, " の x_batch", ": x_batch"))
            for x_batch, _ in batches]
    return np.concatenate(rows) if rows else np.zeros(0, dtype=int)


def test_iterate_minibatches_every_sample_once(student, mistakes):
    """Every sample exactly once, batch_size rows a batch, the last partial batch too
    (N not a multiple of batch_size, then a multiple)."""
    mb = student("minibatch")
    for n, batch_size in ((23, 5), (20, 5)):
        x, t = _data(n, 8)
        what, batches, _ = _epoch(mb, x, t, batch_size, seed=8)
        sizes = [len(as_array(x_batch, _part(what, " の x_batch", ": x_batch")))
                 for x_batch, _ in batches]
        expect(0 not in sizes,
               f"{what['ja']} が空のバッチを返しました (バッチの大きさ {sizes})。N が batch_size "
               "で割り切れるときに余分なバッチを作っていませんか。",
               f"{what['en']} yielded an empty batch (batch sizes {sizes}). Is an extra batch "
               "made when N is a multiple of batch_size?")
        rows = _order(x, batches, what)
        full = n // batch_size
        dropped = (len(rows) == full * batch_size and len(set(rows.tolist())) == len(rows)
                   and n % batch_size != 0)
        expect(not dropped,
               f"{what['ja']} が返したサンプルは {len(rows)} 個です。最後の {n % batch_size} 個"
               f"のバッチがありません (バッチの大きさ {sizes})。",
               f"{what['en']} yielded {len(rows)} samples: the last batch of "
               f"{n % batch_size} is missing (batch sizes {sizes}).",
               _mistake(mistakes, "mb_drop_last"))
        counts = np.bincount(rows, minlength=n)
        expect(bool(np.all(counts == 1)),
               f"{what['ja']}: 1 エポックで各サンプルがちょうど 1 回ずつ出ていません (2 回以上: "
               f"{int(np.sum(counts > 1))} 個、0 回: {int(np.sum(counts == 0))} 個)。",
               f"{what['en']}: not every sample appears exactly once in the epoch "
               f"({int(np.sum(counts > 1))} more than once, {int(np.sum(counts == 0))} never).")
        expect(all(size == batch_size for size in sizes[:-1]) and sizes[-1] <= batch_size,
               f"{what['ja']}: バッチの大きさは最後以外 {batch_size} です (実際 {sizes})。",
               f"{what['en']}: every batch but the last has {batch_size} samples "
               f"(got {sizes}).")


def test_iterate_minibatches_x_t_aligned(student, mistakes, artifacts):
    mb = student("minibatch")
    x, t = _data(23, 9, one_hot=True)
    what, batches, returned_list = _epoch(mb, x, t, 5, seed=9)
    if returned_list:
        artifacts.note("iterate_minibatches", "list", {
            "ja": "iterate_minibatches がジェネレータではなくリストを返しました (許容しています)。"
                  "yield を使うと、大きなデータでも全バッチを一度に作らずに済みます。",
            "en": "iterate_minibatches returned a list rather than a generator (accepted). "
                  "With yield, the batches are made one at a time, which matters for large "
                  "data."})
    expect(len(batches) > 0, f"{what['ja']} がバッチを 1 つも返しませんでした。",
           f"{what['en']} yielded no batch.")
    for number, batch in enumerate(batches):
        size = len(as_array(batch[0], _part(what, " の x_batch", ": x_batch")))
        _check_batch(batch, x, t, size,
                     _part(what, f" の {number} 番目のバッチ", f": batch {number}"), mistakes)


def test_iterate_minibatches_in_order_without_shuffle(student):
    """shuffle=False: batch k is x[k*batch_size:(k+1)*batch_size] (and the same rows of t)."""
    mb = student("minibatch")
    x, t = _data(11, 10)
    what, batches, _ = _epoch(mb, x, t, 4, seed=10, shuffle=False)
    expect(len(batches) > 0, f"{what['ja']} がバッチを 1 つも返しませんでした。",
           f"{what['en']} yielded no batch.")
    for number, (x_batch, t_batch) in enumerate(batches):
        part = slice(4 * number, 4 * number + 4)
        for batch, source, name in ((x_batch, x, "x"), (t_batch, t, "t")):
            text = f"{name}[{part.start}:{part.stop}]"
            expect_array(batch, source[part],
                         _part(what, f" の {number} 番目の {name}_batch (= {text})",
                               f": {name}_batch {number} (= {text})"), rtol=0, atol=0)


def test_iterate_minibatches_shuffles_with_rng(student, mistakes):
    """shuffle=True reorders the samples; the same seed gives the same order, another seed
    another order."""
    mb = student("minibatch")
    x, t = _data(23, 11)
    orders = []
    for seed in (12, 12, 13):
        what, batches, _ = _epoch(mb, x, t, 5, seed=seed)
        orders.append(_order(x, batches, what))
    if np.array_equal(orders[0], np.arange(len(x))[:len(orders[0])]):
        raise CheckFailure(
            f"{what['ja']} がサンプルを並べ替えていません (元の順番のままです)。\n"
            f"ヒント: {NOT_SHUFFLED.ja}",
            f"{what['en']} did not shuffle: the samples come in their original order.\n"
            f"Hint: {NOT_SHUFFLED.en}", hints=[NOT_SHUFFLED.id])
    expect(bool(np.array_equal(orders[0], orders[1])),
           f"{what['ja']} を同じシード値の rng で 2 回呼ぶと、順番が違いました。",
           f"Two calls of {what['en']} with rngs of the same seed gave different orders.",
           _mistake(mistakes, "mb_ignores_rng"))
    expect(not np.array_equal(orders[0], orders[2]),
           f"{what['ja']} の rng のシード値を変えても同じ順番になりました。引数の rng を使って"
           "ください。",
           f"{what['en']} gave the same order for rngs of different seeds. Use the rng "
           "argument.",
           _mistake(mistakes, "mb_ignores_rng"))
