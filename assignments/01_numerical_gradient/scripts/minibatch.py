"""ミニバッチの取り出し / Drawing mini-batches.

(スライド: 003 「1.ミニバッチを取得する」, 003 「ミニバッチ学習」,
002 「ミニバッチ学習におけるデータセットの与え方」, 002 「[演習] ミニバッチ学習関数の実装」)

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run minibatch.py   (scripts/ の中で / from scripts/)

スライドの 2 つのやり方を両方作ります: get_minibatch(..., replace=True) が 003 の
復元抽出 (batch_mask = np.random.choice(train_size, batch_size))、replace=False と
iterate_minibatches が 002 の非復元抽出 (エポックごとにシャッフルして全サンプルを 1 回ずつ)。
乱数は引数の rng (np.random.default_rng(seed) で作ったもの) だけから取ってください。
スライドの np.random.choice(train_size, batch_size) は、ここでは
rng.choice(train_size, batch_size) と書きます (np.random.permutation も rng.permutation)。
グローバルな np.random を使うと、同じシード値でも結果が再現せず、採点でも確かめられません。

Both ways the slides show: get_minibatch(..., replace=True) is 003's sampling with
replacement (batch_mask = np.random.choice(train_size, batch_size)); replace=False and
iterate_minibatches are 002's sampling without replacement (shuffle every epoch, every
sample once). Draw random numbers only from the rng argument
(np.random.default_rng(seed)): the slide's np.random.choice(train_size, batch_size) is
written rng.choice(train_size, batch_size) here (np.random.permutation becomes
rng.permutation), so that the same seed gives the same batches.
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "points.csv"


def get_minibatch(x, t, batch_size, rng, replace=True):
    """x (N, ...) と t (N, ...) から、対応する同じ行を batch_size 個取り出す.

    * replace=True (復元抽出): index = rng.choice(N, batch_size)。003 「ミニバッチ学習」 の
      batch_mask = np.random.choice(train_size, batch_size) を引数の rng で書いたもの。
      同じ行が何度出てもよく、batch_size > N でもよい。
    * replace=False (非復元抽出): 重複のない batch_size 個の行。batch_size <= N で呼ばれる
      (呼び出し側が保証する)。例: rng.choice(N, batch_size, replace=False) や
      rng.permutation(N)[:batch_size]。1 エポックを順に回るのは iterate_minibatches の役目。
    * 戻り値は (x_batch, t_batch)。x_batch[i] と t_batch[i] は元の同じ行 (x[j], t[j])。
      x と t に別々の乱数 (別々の index) を使わないこと。

    Draw batch_size rows, the same rows from x and t; return (x_batch, t_batch).
    replace=True: index = rng.choice(N, batch_size), 003's
    np.random.choice(train_size, batch_size) with the rng argument (rows may repeat;
    batch_size may exceed N). replace=False: batch_size distinct rows (called with batch_size <= N),
    e.g. rng.choice(N, batch_size, replace=False) or rng.permutation(N)[:batch_size];
    walking a whole epoch is iterate_minibatches' job. Use one index for x and t.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("get_minibatch")


def iterate_minibatches(x, t, batch_size, rng, shuffle=True):
    """1 エポック分のミニバッチ (x_batch, t_batch) を yield するジェネレータ.

    * shuffle=True なら、はじめに 1 つの並べ替え order = rng.permutation(N) を作り、
      x[order], t[order] の順に (x と t は *同じ* 並べ替えで) batch_size 個ずつ返す。
    * shuffle=False なら元の順番のまま: x[0:batch_size], x[batch_size:2*batch_size], ...
    * どのサンプルも 1 エポックにちょうど 1 回ずつ現れる。N が batch_size で割り切れない
      ときは、最後に残りの (batch_size より小さい) バッチも返す。空のバッチは返さない。
    * 1 回の呼び出しが 1 エポック (002 「ミニバッチ学習と損失関数」: 全ミニバッチを 1 巡)。
      全部返したら終わる (無限に繰り返さない)。003 「1エポックあたりの繰り返し数」 のように
      復元抽出を N / batch_size 回繰り返すのは get_minibatch(replace=True) の使い方で、
      この関数は重複なしで全サンプルを 1 回ずつ返します。

    A generator over one epoch: yield (x_batch, t_batch) of batch_size rows, walking one
    permutation order = rng.permutation(N) shared by x and t (or the original order when
    shuffle=False). Every sample appears exactly once; the last, smaller batch is
    yielded too; no empty batch. One call is one epoch (002: every mini-batch once),
    then the generator stops. Drawing with replacement N / batch_size times (003's
    iterations per epoch) is what get_minibatch(replace=True) is for; this function
    yields every sample exactly once.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("iterate_minibatches")


def load_data():
    """points.csv の (x, t): x は (N, 2)、t は 0/1 のラベル (N,)."""
    table = np.genfromtxt(DATA, delimiter=",", names=True)
    x = np.column_stack([table["x1"], table["x2"]])
    t = table["label"].astype(int)
    return x, t


if __name__ == "__main__":
    x, t = load_data()
    rng = np.random.default_rng(0)
    x_batch, t_batch = get_minibatch(x, t, 10, rng, replace=True)
    print("get_minibatch:", x_batch.shape, t_batch.shape)
    sizes = [len(x_batch) for x_batch, _ in iterate_minibatches(x, t, 10, rng)]
    print(f"one epoch of {len(x)} samples in batches of 10: {sizes}")
