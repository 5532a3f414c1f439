"""公開テスト: scripts/minibatch.py / Public tests for minibatch.py."""

import numpy as np

from checks import Mistake, as_array, expect, expect_tuple

X = np.arange(30.0).reshape(10, 3)  # row i is [3i, 3i+1, 3i+2]
T = 100 + np.arange(10)             # the label of row i is 100 + i


def known(mistakes, mistake_id, ja, en):
    """A known mistake: the course's explanation when grading, the short one here."""
    return Mistake.from_catalogue(mistakes, mistake_id) if mistake_id in mistakes \
        else Mistake(mistake_id, ja, en)


def rows_of(batch, what, size):
    """The rows of X (or T) a batch holds: x_batch (size, 3) or t_batch (size,)."""
    x_batch, t_batch = expect_tuple(batch, 2, what)
    x_batch, t_batch = as_array(x_batch, f"{what}[0]"), as_array(t_batch, f"{what}[1]")
    expect(x_batch.shape != (3, size) or size == 3,
           f"x_batch の形が {x_batch.shape} です (期待 ({size}, 3))。行と列が入れ替わっています。",
           f"x_batch has shape {x_batch.shape} (expected ({size}, 3)): rows and columns "
           "are swapped.", hint_id="transposed")
    expect(x_batch.shape == (size, 3) and t_batch.shape == (size,),
           f"形が違います: x_batch {x_batch.shape}、t_batch {t_batch.shape} "
           f"(期待 ({size}, 3), ({size},))。",
           f"Wrong shapes: x_batch {x_batch.shape}, t_batch {t_batch.shape} "
           f"(expected ({size}, 3) and ({size},)).")
    return (x_batch[:, 0] // 3).astype(int), (t_batch - 100).astype(int)


def test_get_minibatch(student, mistakes):
    mb = student("minibatch")
    picked = []
    for _ in range(2):
        what = "get_minibatch(x, t, 4, default_rng(0), replace=True)"
        rows, labels = rows_of(mb.get_minibatch(X.copy(), T.copy(), 4, np.random.default_rng(0),
                                                replace=True), what, 4)
        expect(bool(np.array_equal(rows, labels)),
               "t_batch が x_batch と同じ行から取られていません。",
               "t_batch does not come from the same rows as x_batch.",
               known(mistakes, "mb_misaligned", "x と t に別々のインデックスを使っています。",
                     "x and t use different indices."))
        picked.append(rows)
    expect(bool(np.array_equal(picked[0], picked[1])),
           "同じシード値の rng で 2 回呼ぶと、違う行が選ばれました。引数の rng を使ってください "
           "(スライドの np.random.choice(N, batch_size) は rng.choice(N, batch_size))。",
           "Two calls with the same seed chose different rows. Use the rng argument (the "
           "slide's np.random.choice(N, batch_size) is rng.choice(N, batch_size)).",
           known(mistakes, "mb_ignores_rng", "引数の rng を使っていません。",
                 "The rng argument is not used."))
    what = "get_minibatch(x, t, 10, rng, replace=False)"
    rows, labels = rows_of(mb.get_minibatch(X.copy(), T.copy(), 10, np.random.default_rng(1),
                                            replace=False), what, 10)
    expect(sorted(rows.tolist()) == list(range(10)),
           "replace=False なのに同じ行が重複しています。",
           "With replace=False some rows repeat.",
           known(mistakes, "mb_duplicates", "非復元抽出になっていません。",
                 "This is not sampling without replacement."))


def test_iterate_minibatches(student, mistakes):
    mb = student("minibatch")
    orders = []
    for seed, shuffle in ((0, True), (0, True), (0, False)):
        what = f"iterate_minibatches(x, t, 4, default_rng({seed}), shuffle={shuffle})"
        batches = []
        for batch in mb.iterate_minibatches(X.copy(), T.copy(), 4, np.random.default_rng(seed),
                                            shuffle=shuffle):
            batches.append(expect_tuple(batch, 2, f"{what}: (x_batch, t_batch)"))
            expect(len(batches) <= 5, "バッチが多すぎます (1 エポックで終わっていません)。",
                   "Too many batches: the generator does not stop after one epoch.")
        sizes = [len(as_array(x_batch, "x_batch")) for x_batch, _ in batches]
        expect(sizes == [4, 4, 2],
               f"N = 10, batch_size = 4 のバッチの大きさは [4, 4, 2] です (実際 {sizes})。",
               f"With N = 10 and batch_size = 4 the batch sizes are [4, 4, 2] (got {sizes}).",
               known(mistakes, "mb_drop_last", "最後の端数のバッチを捨てています。",
                     "The last, smaller batch is dropped.") if sizes == [4, 4] else None)
        order, aligned = [], True
        for number, batch in enumerate(batches):
            rows, labels = rows_of(batch, f"{what}: {number}", sizes[number])
            order += rows.tolist()
            aligned = aligned and bool(np.array_equal(rows, labels))
        expect(sorted(order) == list(range(10)),
               "1 エポックで各サンプルがちょうど 1 回ずつ出ていません。",
               "Not every sample appears exactly once in the epoch.")
        expect(aligned, "t_batch が x_batch と同じ行から取られていません。",
               "t_batch does not come from the same rows as x_batch.",
               known(mistakes, "mb_misaligned", "x と t に別々の並べ替えを使っています。",
                     "x and t use different permutations."))
        orders.append(order)
    expect(orders[0] == orders[1],
           "同じシード値の rng で 2 回呼ぶと、順番が違いました。引数の rng を使ってください。",
           "Two calls with the same seed gave different orders. Use the rng argument.",
           known(mistakes, "mb_ignores_rng", "引数の rng を使っていません。",
                 "The rng argument is not used."))
    expect(orders[0] != list(range(10)),
           "shuffle=True なのに並べ替えていません (元の順番のままです)。rng.permutation の"
           "戻り値 (新しい配列) を使っていますか。",
           "With shuffle=True the samples are not shuffled (original order). Is the array "
           "rng.permutation returns (a new one) used?")
    expect(orders[2] == list(range(10)),
           "shuffle=False なのに元の順番ではありません。",
           "With shuffle=False the samples are not in their original order.")
