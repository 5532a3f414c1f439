"""公開テスト: scripts/sgd.py / Public tests for sgd.py.

train_sgd だけを確かめるため、train_sgd が呼ぶ get_minibatch / iterate_minibatches を、
決まったミニバッチを返す「代役」に置き換えます (minibatch.py の誤りで train_sgd が不合格に
ならないように。乱数も使いません)。
To check train_sgd on its own, the get_minibatch / iterate_minibatches it calls are
replaced by stand-ins that hand out fixed mini-batches (so that a mistake in minibatch.py
does not fail this test; no random numbers either).
"""

import numpy as np

from checks import (Mistake, as_array, call_keeping_arguments, error_text, expect,
                    expect_array, expect_png, expect_tuple, label, replaced, stopped)

X = np.array([[1.0, 0.5, -1.0], [0.0, 2.0, 1.0], [-1.5, 1.0, 0.5], [2.0, -0.5, 0.0],
              [0.5, -1.0, 1.5], [-1.0, 0.0, -0.5], [1.5, 1.5, -2.0]])   # N = 7, n_in = 3
T = np.array([[1.0], [2.5], [-0.5], [3.0], [0.0], [-1.5], [2.0]])
W0, B0 = np.array([[0.5], [-0.25], [0.0]]), np.array([0.25])
# iterate_minibatches の代役が 1 エポックごとに使う順番 / the stand-in's order per epoch
ORDERS = ([6, 2, 0, 5, 1, 3, 4], [1, 4, 2, 0, 6, 3, 5])
# get_minibatch の代役が呼ばれた順に返す行 / the rows the stand-in hands out, call by call
DRAWN = ([4, 4, 1], [0, 6, 2], [5, 3, 3], [2, 0, 6], [1, 1, 5], [3, 6, 0])

# train_sgd(X, T, W0, B0, batch_size=3, epochs=2, lr=0.1, rng, replace=False) with the
# stand-in: (losses, W, b) for each way the slides allow (½ or not; before or after).
EXPECTED = {
    ("½ (y - t)^2", "更新の前 / before the update"): (
        [0.3489583333333333, 1.7784063946759259, 0.31522627088758676, 0.8102012727776672,
         0.3451273223924923, 0.7436103553052389],
        [0.8715712257065008, 0.20796477563175156, -0.0006488908480420733],
        [0.316372136682581]),
    ("½ (y - t)^2", "更新の後 / after the update"): (
        [0.1414044415509259, 1.2092340499312788, 0.09535594694349499, 0.5178337208439757,
         0.24758941535679044, 0.44663096965520915],
        [0.8715712257065008, 0.20796477563175156, -0.0006488908480420733],
        [0.316372136682581]),
    ("(y - t)^2", "更新の前 / before the update"): (
        [0.6979166666666666, 3.222737268518518, 0.6517198350694442, 0.8752467455954217,
         0.8883652075850592, 1.2501775038245382],
        [1.0560542901234569, 0.444043962191358, 0.14485539544753082],
        [0.24344434027777778]),
    ("(y - t)^2", "更新の後 / after the update"): (
        [0.08210358796296295, 1.4086671633873455, 0.006517198350694439, 0.33684556885770317,
         0.5088569791958832, 0.37817869490692263],
        [1.0560542901234569, 0.444043962191358, 0.14485539544753082],
        [0.24344434027777778]),
}


def known(mistakes, mistake_id, ja, en):
    """A known mistake: the course's explanation when grading, the short one here."""
    return Mistake.from_catalogue(mistakes, mistake_id) if mistake_id in mistakes \
        else Mistake(mistake_id, ja, en)


class StandIns:
    """get_minibatch / iterate_minibatches の代役 (呼ばれ方を記録する)."""

    def __init__(self):
        self.calls = []

    def get_minibatch(self, x, t, batch_size, rng=None, replace=True):
        self.calls.append(("get_minibatch", batch_size, replace))
        rows = DRAWN[(len(self.calls) - 1) % len(DRAWN)][:batch_size]
        return X[rows], T[rows]

    def iterate_minibatches(self, x, t, batch_size, rng=None, shuffle=True):
        self.calls.append(("iterate_minibatches", batch_size, shuffle))
        order = ORDERS[(len(self.calls) - 1) % len(ORDERS)]
        return [(X[order[i:i + batch_size]], T[order[i:i + batch_size]])
                for i in range(0, len(order), batch_size)]


def run(sg, replace):
    """(W, b, losses, calls) of train_sgd on the small example, with the stand-ins."""
    stand_ins = StandIns()
    what = f"train_sgd(x, t, W, b, batch_size=3, epochs=2, lr=0.1, rng, replace={replace})"
    with replaced(sg, get_minibatch=stand_ins.get_minibatch,
                  iterate_minibatches=stand_ins.iterate_minibatches):
        result = call_keeping_arguments(sg.train_sgd, X.copy(), T.copy(), W0.copy(),
                                        B0.copy(), batch_size=3, epochs=2, lr=0.1,
                                        rng=np.random.default_rng(0), replace=replace,
                                        what=what)
    W, b, losses = expect_tuple(result, 3, what)
    losses = as_array(losses, label(f"{what} の losses", f"{what}: losses")).ravel()
    return what, W, b, losses, stand_ins.calls


def test_train_sgd(student, mistakes):
    sg = student("sgd")
    what, W, b, losses, calls = run(sg, replace=False)
    names = [call[0] for call in calls]
    expect("get_minibatch" not in names,
           "replace=False で get_minibatch が呼ばれました。非復元抽出では 1 エポックごとに "
           "iterate_minibatches で全サンプルを 1 回ずつ回ります。",
           "With replace=False get_minibatch was called. Without replacement, walk every "
           "epoch with iterate_minibatches (every sample once).",
           known(mistakes, "sgd_no_epoch_walk", "get_minibatch(..., replace=False) を毎回呼んで"
                 "います。", "get_minibatch(..., replace=False) is called at every step.")
           if all(call[2] is False for call in calls if call[0] == "get_minibatch") else
           known(mistakes, "sgd_replace_ignored", "replace の値にかかわらず同じ取り方です。",
                 "The mini-batches are drawn the same way whatever replace is."))
    expect(bool(calls),
           "train_sgd が get_minibatch も iterate_minibatches も呼びませんでした。ミニバッチは "
           "minibatch.py の関数で取ってください。",
           "train_sgd called neither get_minibatch nor iterate_minibatches. Draw the "
           "mini-batches with minibatch.py's functions.",
           known(mistakes, "sgd_own_sampling", "ミニバッチを自分で取っています。",
                 "The mini-batches are drawn by train_sgd itself."))
    expect(len(calls) == 2,
           f"replace=False、epochs=2 では iterate_minibatches を 2 回 (1 エポックに 1 回) "
           f"呼びます (実際 {len(calls)} 回)。",
           f"With replace=False and epochs=2, iterate_minibatches is called twice, once an "
           f"epoch (got {len(calls)} calls).")
    expect(all(call[1:] == (3, True) for call in calls),
           "iterate_minibatches は batch_size=3、shuffle=True (既定) で呼んでください。",
           "Call iterate_minibatches with batch_size=3 and shuffle=True (the default).")
    expect(len(losses) == 6,
           f"losses は更新 1 回に 1 つ、6 個です (3 + 3 個のミニバッチ、実際 {len(losses)} 個)。",
           f"losses holds one value per update: 6 (3 + 3 mini-batches; got {len(losses)}).")
    matching = [way for way, (curve, _, _) in EXPECTED.items() if np.allclose(losses, curve)]
    way = matching[0] if matching else next(iter(EXPECTED))
    curve, W_expected, b_expected = EXPECTED[way]
    expect_array(losses, curve,
                 label(f"{what} の losses (ミニバッチごとの E = (1/n) Σ ½ (y - t)^2、更新の前。"
                       "½ のない E や更新の後の記録も可)",
                       f"{what}: losses (each mini-batch's E = (1/n) Σ ½ (y - t)^2, before "
                       "its update; E without ½ or recorded after the update is accepted "
                       "too)"))
    expect_array(W, np.reshape(W_expected, (3, 1)), label(f"{what} の W", f"{what}: W"))
    expect_array(b, b_expected, label(f"{what} の b", f"{what}: b"))

    what, W, b, losses, calls = run(sg, replace=True)
    expect(all(call[0] == "get_minibatch" for call in calls),
           "replace=True で iterate_minibatches が呼ばれました。復元抽出では毎回 "
           "get_minibatch(x, t, batch_size, rng, replace=True) でミニバッチを取ります。",
           "With replace=True iterate_minibatches was called. With replacement, draw each "
           "mini-batch with get_minibatch(x, t, batch_size, rng, replace=True).",
           known(mistakes, "sgd_replace_ignored", "replace の値にかかわらず同じ取り方です。",
                 "The mini-batches are drawn the same way whatever replace is."))
    expect(all(call[1:] == (3, True) for call in calls),
           "get_minibatch は batch_size=3、replace=True で呼んでください。",
           "Call get_minibatch with batch_size=3 and replace=True.")
    expect(len(calls) in (6, 4),
           f"N = 7、batch_size = 3、epochs = 2 では get_minibatch を ceil(7 / 3) × 2 = 6 回 "
           f"(切り捨てなら 2 × 2 = 4 回) 呼びます (実際 {len(calls)} 回)。",
           f"With N = 7, batch_size = 3 and epochs = 2, get_minibatch is called "
           f"ceil(7 / 3) x 2 = 6 times (4 when rounded down; got {len(calls)}).")
    expect(len(losses) == len(calls),
           f"losses は更新 1 回に 1 つです ({len(calls)} 回の更新、実際 {len(losses)} 個)。",
           f"losses holds one value per update ({len(calls)} updates; got {len(losses)}).")


def stand_in_training(x, t, W, b, batch_size, epochs, lr, rng, replace=True):
    """train_sgd の代役: 決まった損失の推移を返す (図だけを確かめるとき)."""
    steps = np.arange(1.0, 34.0)
    losses = 2.0 / steps + 0.05 if replace else 1.5 / steps + 0.04 + 0.02 * (steps % 3)
    return np.zeros((np.shape(x)[1], 1)), np.zeros(1), losses


def test_script_figure(student, artifacts, mistakes):
    """uv run sgd.py の図 (train_sgd が動かないときは代役の損失で plot_comparison を確かめる)."""
    sg = student("sgd")
    student.remove_output("minibatch_comparison.png")
    if stopped(student.run_script, "sgd") is not None:
        with replaced(sg, train_sgd=stand_in_training):
            error = stopped(student.run_script, "sgd")
        if isinstance(error, NotImplementedError) or \
                getattr(error, "status", None) == "not_implemented":
            raise error
        expect(error is None,
               "スクリプト (if __name__ == \"__main__\": の部分) が途中で止まりました: "
               f"{error_text(error) if error else ''}",
               "The script (the if __name__ == \"__main__\": part) stopped: "
               f"{error_text(error) if error else ''}")
    png = student.read_output("minibatch_comparison.png")
    expect(png is not None,
           "outputs/minibatch_comparison.png が保存されていません。plot_comparison の中で "
           "fig.savefig(OUTPUTS / FIGURE) で保存してください。",
           "outputs/minibatch_comparison.png was not saved. Save it in plot_comparison "
           "with fig.savefig(OUTPUTS / FIGURE).",
           known(mistakes, "figure_not_saved", "図をファイルに保存していません。",
                 "The figure is not saved to a file."))
    expect_png(png, label("outputs/minibatch_comparison.png の図",
                          "the figure outputs/minibatch_comparison.png"))
    artifacts.image("minibatch_comparison.png", png,
                    title={"ja": "復元抽出と非復元抽出の損失の推移 (sgd.py の図)",
                           "en": "Loss curves with and without replacement (sgd.py's figure)"})
