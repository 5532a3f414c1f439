"""公開テスト: scripts/minibatch.py / Public tests for minibatch.py."""

import numpy as np

from checks import expect, expect_tuple

X = np.arange(30.0).reshape(10, 3)  # row i is [3i, 3i+1, 3i+2]
T = np.arange(10) % 2


def _rows(x_batch):
    return (np.asarray(x_batch)[:, 0] // 3).astype(int)


def test_get_minibatch(student):
    mb = student("minibatch")
    x_batch, t_batch = expect_tuple(
        mb.get_minibatch(X.copy(), T.copy(), 4, np.random.default_rng(0), replace=True), 2,
        "get_minibatch(x, t, 4, rng, replace=True)")
    x_batch, t_batch = np.asarray(x_batch), np.asarray(t_batch)
    expect(x_batch.shape == (4, 3) and t_batch.shape == (4,),
           f"形が違います: x_batch {x_batch.shape}、t_batch {t_batch.shape} (期待 (4, 3), (4,))。",
           f"Wrong shapes: x_batch {x_batch.shape}, t_batch {t_batch.shape} "
           "(expected (4, 3) and (4,)).")
    expect(bool(np.array_equal(t_batch, T[_rows(x_batch)])),
           "t_batch が x_batch と同じ行から取られていません。",
           "t_batch does not come from the same rows as x_batch.")


def test_iterate_minibatches_one_epoch(student):
    mb = student("minibatch")
    batches = []
    for batch in mb.iterate_minibatches(X.copy(), T.copy(), 4, np.random.default_rng(0)):
        batches.append(expect_tuple(batch, 2, "iterate_minibatches(...) の各バッチ / each batch"))
        expect(len(batches) <= 5, "バッチが多すぎます (1 エポックで終わっていません)。",
               "Too many batches: the generator does not stop after one epoch.")
    sizes = [len(x_batch) for x_batch, _ in batches]
    expect(sizes == [4, 4, 2],
           f"N = 10, batch_size = 4 のバッチの大きさは [4, 4, 2] です (実際 {sizes})。",
           f"With N = 10 and batch_size = 4 the batch sizes are [4, 4, 2] (got {sizes}).")
    rows = np.concatenate([_rows(x_batch) for x_batch, _ in batches])
    expect(sorted(rows.tolist()) == list(range(10)),
           "1 エポックで各サンプルがちょうど 1 回ずつ出ていません。",
           "Not every sample appears exactly once in the epoch.")
