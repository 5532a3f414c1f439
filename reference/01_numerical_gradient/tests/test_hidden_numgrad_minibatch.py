"""Hidden tests: scripts/minibatch.py (get_minibatch, iterate_minibatches).

These tests never depend on the student's random draws. Every row of x is unique and
t identifies its row too (a label or a one-hot row per sample), so each batch can be
traced back to the rows it came from; the tests check properties: shapes, rows taken
from x with the matching t, no repeats without replacement, every sample exactly once
an epoch, and that the same rng state gives the same batches.
"""

import math

import numpy as np
import pytest

from checks import Mistake, as_array, expect, expect_array, expect_length, expect_tuple


def _data(n, seed, one_hot=False):
    """x: (n, 3) with unique rows; t: labels 100..100+n-1, or one-hot rows of eye(n)."""
    x = np.round(np.random.default_rng(seed).standard_normal((n, 3)), 6)
    t = np.eye(n) if one_hot else np.arange(100, 100 + n)
    return x, t


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _locate(source, batch, what):
    """The row of ``source`` each row of ``batch`` is (a failure if one is not there)."""
    batch = as_array(batch, what)
    expect(batch.ndim == source.ndim and batch.shape[1:] == source.shape[1:],
           f"{what} の形 {batch.shape} が元のデータ {source.shape} と合いません "
           f"(期待: (batch_size,) + {source.shape[1:]})。",
           f"{what} has shape {batch.shape}, which does not fit the data {source.shape} "
           f"(expected (batch_size,) + {source.shape[1:]}).")
    if len(batch) == 0:
        return np.zeros(0, dtype=int)
    flat_source = source.reshape(len(source), -1).astype(float)
    flat_batch = batch.reshape(len(batch), -1)
    distance = np.abs(flat_batch[:, None, :] - flat_source[None, :, :]).max(axis=2)
    index = distance.argmin(axis=1)
    missing = np.flatnonzero(distance[np.arange(len(batch)), index] > 1e-12)
    if len(missing):
        row = int(missing[0])
        expect(False,
               f"{what} の {row} 行目が元のデータのどの行とも一致しません。"
               "元の行をそのまま取り出してください。",
               f"Row {row} of {what} is not a row of the data. Take the original rows as "
               "they are.")
    return index


def _check_batch(result, x, t, batch_size, what, mistakes):
    """(x_batch, t_batch): shapes, rows from x and t, aligned. Returns the row indices."""
    x_batch, t_batch = expect_tuple(result, 2, what)
    x_batch = as_array(x_batch, f"{what}[0] (x_batch)")
    t_batch = as_array(t_batch, f"{what}[1] (t_batch)")
    expect(x_batch.shape == (batch_size,) + x.shape[1:],
           f"{what}[0] (x_batch) の形が {x_batch.shape} です (期待 "
           f"{(batch_size,) + x.shape[1:]})。",
           f"{what}[0] (x_batch) has shape {x_batch.shape} "
           f"(expected {(batch_size,) + x.shape[1:]}).")
    expect(t_batch.shape == (batch_size,) + t.shape[1:],
           f"{what}[1] (t_batch) の形が {t_batch.shape} です (期待 "
           f"{(batch_size,) + t.shape[1:]})。",
           f"{what}[1] (t_batch) has shape {t_batch.shape} "
           f"(expected {(batch_size,) + t.shape[1:]}).")
    rows_x = _locate(x, x_batch, f"{what}[0] (x_batch)")
    rows_t = _locate(t, t_batch, f"{what}[1] (t_batch)")
    wrong = np.flatnonzero(rows_x != rows_t)
    if len(wrong):
        first = int(wrong[0])
        expect(False,
               f"{what}: x_batch と t_batch の対応がずれています (x_batch[{first}] は元の "
               f"{rows_x[first]} 行目、t_batch[{first}] は {rows_t[first]} 行目)。",
               f"{what}: x_batch and t_batch do not belong together (x_batch[{first}] is row "
               f"{rows_x[first]} of the data, t_batch[{first}] is row {rows_t[first]}).",
               _mistake(mistakes, "mb_misaligned"))
    return rows_x


# ----------------------------------------------------------------------------- get_minibatch


def test_get_minibatch_with_replacement(student, mistakes):
    mb = student("minibatch")
    x, t = _data(20, 1)
    _check_batch(mb.get_minibatch(x.copy(), t.copy(), 8, np.random.default_rng(1), replace=True),
                 x, t, 8, "get_minibatch(x, t, 8, rng, replace=True)", mistakes)
    # More rows than the data has: only possible with replacement.
    x, t = _data(5, 2, one_hot=True)
    _check_batch(mb.get_minibatch(x.copy(), t.copy(), 12, np.random.default_rng(2),
                                  replace=True),
                 x, t, 12, "get_minibatch(x, t, 12, rng, replace=True) with N = 5 (one-hot t)",
                 mistakes)


def test_get_minibatch_without_replacement(student, mistakes):
    mb = student("minibatch")
    for n, batch_size, seed, one_hot in ((10, 10, 3, False), (10, 10, 4, True),
                                         (20, 7, 5, False), (10, 10, 6, False)):
        x, t = _data(n, seed, one_hot)
        what = f"get_minibatch(x, t, {batch_size}, rng, replace=False) with N = {n}"
        rows = _check_batch(mb.get_minibatch(x.copy(), t.copy(), batch_size,
                                             np.random.default_rng(seed), replace=False),
                            x, t, batch_size, what, mistakes)
        repeated = sorted({int(r) for r in rows if np.sum(rows == r) > 1})
        expect(not repeated,
               f"{what}: 同じ行 (元の {repeated[:3]} 行目) が重複しています。",
               f"{what}: rows {repeated[:3]} of the data appear more than once.",
               _mistake(mistakes, "mb_duplicates"))


def test_get_minibatch_uses_rng(student, mistakes):
    """The same rng state gives the same batch (the values themselves are not checked)."""
    mb = student("minibatch")
    x, t = _data(50, 7)
    for replace in (True, False):
        what = f"get_minibatch(x, t, 10, default_rng(7), replace={replace})"
        first = _check_batch(mb.get_minibatch(x.copy(), t.copy(), 10, np.random.default_rng(7),
                                              replace=replace), x, t, 10, what, mistakes)
        second = _check_batch(mb.get_minibatch(x.copy(), t.copy(), 10,
                                               np.random.default_rng(7), replace=replace),
                              x, t, 10, what, mistakes)
        expect(bool(np.array_equal(first, second)),
               f"{what} を同じ状態の rng で 2 回呼ぶと、違う行が選ばれました "
               f"({first.tolist()} と {second.tolist()})。",
               f"Two calls of {what} with the same rng state chose different rows "
               f"({first.tolist()} and {second.tolist()}).",
               _mistake(mistakes, "mb_ignores_rng"))


# ----------------------------------------------------------------------------- iterate_minibatches


def _epoch(mb, x, t, batch_size, seed, shuffle=True):
    """(what, batches, returned_list): the (x_batch, t_batch) pairs of one call.

    Stops if the call yields more than an epoch; ``returned_list`` says whether the
    student returned a list of batches instead of a generator (accepted).
    """
    what = f"iterate_minibatches(x, t, {batch_size}, rng, shuffle={shuffle}) (N = {len(x)})"
    result = mb.iterate_minibatches(x.copy(), t.copy(), batch_size,
                                    np.random.default_rng(seed), shuffle=shuffle)
    expect(result is not None,
           f"{what} が None を返しました。yield でミニバッチを返してください。",
           f"{what} returned None. Yield the mini-batches.")
    limit = math.ceil(len(x) / batch_size) + 2
    batches = []
    for number, batch in enumerate(result):
        expect(number < limit,
               f"{what} が {limit} 個より多くのバッチを返しました。1 回の呼び出しは 1 エポック"
               "です (全サンプルを 1 回ずつ返したら終わる)。",
               f"{what} yielded more than {limit} batches. One call is one epoch: stop after "
               "every sample has been yielded once.")
        batches.append(expect_tuple(batch, 2, f"{what}: each batch (x_batch, t_batch)"))
    return what, batches, isinstance(result, (list, tuple))


@pytest.mark.parametrize("n, batch_size", [(23, 5), (20, 5)], ids=["partial_last", "divisible"])
def test_iterate_minibatches_every_sample_once(student, mistakes, n, batch_size):
    mb = student("minibatch")
    x, t = _data(n, 8)
    what, batches, _ = _epoch(mb, x, t, batch_size, seed=8)
    sizes = [len(as_array(x_batch, f"{what}: x_batch")) for x_batch, _ in batches]
    expect(0 not in sizes,
           f"{what} が空のバッチを返しました (バッチの大きさ {sizes})。N が batch_size で割り"
           "切れるときに余分なバッチを作っていませんか。",
           f"{what} yielded an empty batch (batch sizes {sizes}). Is an extra batch made when "
           "N is a multiple of batch_size?")
    rows = np.concatenate([_locate(x, x_batch, f"{what}: x_batch") for x_batch, _ in batches]) \
        if batches else np.zeros(0, dtype=int)
    full = n // batch_size
    dropped = (len(rows) == full * batch_size and len(set(rows.tolist())) == len(rows)
               and n % batch_size != 0)
    expect(not dropped,
           f"{what} が返したサンプルは {len(rows)} 個です (N = {n})。最後の {n % batch_size} 個"
           f"のバッチがありません (バッチの大きさ {sizes})。",
           f"{what} yielded {len(rows)} samples (N = {n}): the last batch of "
           f"{n % batch_size} is missing (batch sizes {sizes}).",
           _mistake(mistakes, "mb_drop_last"))
    counts = np.bincount(rows, minlength=n)
    expect(bool(np.all(counts == 1)),
           f"{what}: 1 エポックで各サンプルがちょうど 1 回ずつ出ていません (2 回以上: "
           f"{np.flatnonzero(counts > 1).tolist()[:5]}、0 回: "
           f"{np.flatnonzero(counts == 0).tolist()[:5]})。",
           f"{what}: not every sample appears exactly once in the epoch (more than once: "
           f"{np.flatnonzero(counts > 1).tolist()[:5]}, never: "
           f"{np.flatnonzero(counts == 0).tolist()[:5]}).")
    expect(all(size == batch_size for size in sizes[:-1]) and sizes[-1] <= batch_size,
           f"{what}: バッチの大きさは最後以外 {batch_size} です (実際 {sizes})。",
           f"{what}: every batch but the last has {batch_size} samples (got {sizes}).")


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
    expect(len(batches) > 0, f"{what} がバッチを 1 つも返しませんでした。",
           f"{what} yielded no batch.")
    for number, batch in enumerate(batches):
        size = len(as_array(batch[0], f"{what}: x_batch"))
        _check_batch(batch, x, t, size, f"{what}: batch {number}", mistakes)


def test_iterate_minibatches_in_order_without_shuffle(student, mistakes):
    mb = student("minibatch")
    x, t = _data(11, 10)
    what, batches, _ = _epoch(mb, x, t, 4, seed=10, shuffle=False)
    expect(len(batches) != 2,
           f"{what} が返したバッチは 2 個です (期待 3 個: 4, 4, 3)。"
           "最後の端数のバッチがありません。",
           f"{what} yielded 2 batches (expected 3: 4, 4 and 3); the last, smaller one is missing.",
           Mistake.from_catalogue(mistakes, "mb_drop_last"))
    expect_length(batches, 3, f"{what} (number of batches)")
    for number, (x_batch, t_batch) in enumerate(batches):
        part = slice(4 * number, 4 * number + 4)
        expect_array(x_batch, x[part], f"{what}: x_batch {number} (= x[{part.start}:{part.stop}])",
                     rtol=0, atol=0)
        expect_array(t_batch, t[part], f"{what}: t_batch {number} (= t[{part.start}:{part.stop}])",
                     rtol=0, atol=0)


def test_iterate_minibatches_shuffles_with_rng(student, mistakes):
    """shuffle=True reorders the samples, and the same rng state gives the same order."""
    mb = student("minibatch")
    x, t = _data(23, 11)
    orders = []
    for _ in range(2):
        what, batches, _ = _epoch(mb, x, t, 5, seed=12)
        orders.append(np.concatenate([_locate(x, x_batch, f"{what}: x_batch")
                                      for x_batch, _ in batches]) if batches else np.zeros(0))
    expect(not np.array_equal(orders[0], np.arange(len(x))[:len(orders[0])]),
           f"{what} がサンプルを並べ替えていません (元の順番のままです)。",
           f"{what} did not shuffle: the samples come in their original order.")
    expect(bool(np.array_equal(orders[0], orders[1])),
           f"{what} を同じ状態の rng で 2 回呼ぶと、順番が違いました。",
           f"Two calls of {what} with the same rng state gave different orders.",
           _mistake(mistakes, "mb_ignores_rng"))
