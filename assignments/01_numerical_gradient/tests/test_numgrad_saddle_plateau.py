"""公開テスト: scripts/saddle_plateau.py / Public tests for saddle_plateau.py."""

import numpy as np

from checks import (Mistake, error_text, expect, expect_array, expect_number,
                    expect_png, label, replaced, stopped)

# 格子 (2, 3, 4): x[0] が x0、x[1] が x1 / a grid: x[0] holds x0, x[1] holds x1
GRID = np.array(np.meshgrid(np.array([-2.0, -0.5, 1.0, 2.5]), np.array([-1.0, 0.0, 1.5])))


def known(mistakes, mistake_id, ja, en):
    """A known mistake: the course's explanation when grading, the short one here."""
    return Mistake.from_catalogue(mistakes, mistake_id) if mistake_id in mistakes \
        else Mistake(mistake_id, ja, en)


def summed(mistakes):
    return known(mistakes, "landscape_summed",
                 "格子の全要素を 1 つの値にまとめています (np.sum など)。",
                 "Every element of the grid is summed into one value (np.sum or such).")


def test_saddle(student, mistakes):
    sp = student("saddle_plateau")
    x0, x1 = GRID
    expected = x0 * x0 - x1 * x1
    expect_array(sp.saddle(GRID.copy()), expected,
                 label("saddle(x) (x は形 (2, 3, 4) の格子、結果は形 (3, 4))",
                       "saddle(x) (x a grid of shape (2, 3, 4), the result of shape (3, 4))"),
                 mistakes=[(summed(mistakes), np.sum(expected))])
    expect_number(sp.saddle(np.array([3.0, 1.0])), 8.0, "saddle([3, 1]) (= 9 - 1)")
    expect_number(sp.saddle(np.array([0.0, 0.0])), 0.0, "saddle([0, 0]) (鞍点 / saddle point)")


def test_plateau(student, mistakes):
    sp = student("saddle_plateau")
    x0, x1 = GRID
    expected = 1.0 - np.exp(-(x0 * x0 + x1 * x1))
    expect_array(sp.plateau(GRID.copy()), expected,
                 label("plateau(x) (x は形 (2, 3, 4) の格子、結果は形 (3, 4))",
                       "plateau(x) (x a grid of shape (2, 3, 4), the result of shape (3, 4))"),
                 mistakes=[(summed(mistakes), 1.0 - np.exp(-np.sum(GRID * GRID))),
                           (known(mistakes, "plateau_exp_sign",
                                  "exp の中の符号が逆です (exp(-(x0^2 + x1^2)))。",
                                  "The sign inside exp is wrong (exp(-(x0^2 + x1^2)))."),
                            1.0 - np.exp(x0 * x0 + x1 * x1))])
    expect_number(sp.plateau(np.array([0.0, 0.0])), 0.0, "plateau([0, 0]) (最小値 / minimum)")
    expect_number(sp.plateau(np.array([1.0, 0.0])), 1.0 - np.exp(-1.0),
                  "plateau([1, 0]) (= 1 - exp(-1))")


def stand_in_saddle(x):
    return np.square(x[0]) - np.square(x[1])


def stand_in_plateau(x):
    return 1.0 - np.exp(-np.square(x[0]) - np.square(x[1]))


def stand_in_path(f, init_x, lr=0.1, step_num=40):
    """descent_path の代役: 出発点から原点へ向かう直線の経路 (図だけを確かめるとき)."""
    return np.outer(np.linspace(1.0, 0.0, 11), np.asarray(init_x, dtype=float))


def stand_in_descent(f, init_x, lr=0.01, step_num=100):
    """gradient_descent の代役 (スクリプトが直接呼ぶとき): (最後の x, x_history)."""
    path = stand_in_path(f, init_x)
    return path[-1], path[:-1]


def test_script_figure(student, artifacts, mistakes):
    """uv run saddle_plateau.py の図 (saddle、plateau、gradient_descent が動かないときは代役で
    plot_saddle_plateau を確かめる)."""
    sp = student("saddle_plateau")
    student.remove_output("saddle_plateau.png")
    if stopped(student.run_script, "saddle_plateau") is not None:
        parts = {"saddle": stand_in_saddle, "plateau": stand_in_plateau,
                 "descent_path": stand_in_path}
        if hasattr(sp, "gradient_descent"):  # imported by the script itself
            parts["gradient_descent"] = stand_in_descent
        with replaced(sp, **parts):
            error = stopped(student.run_script, "saddle_plateau")
        if isinstance(error, NotImplementedError) or \
                getattr(error, "status", None) == "not_implemented":
            raise error
        expect(error is None,
               "スクリプト (if __name__ == \"__main__\": の部分) が途中で止まりました: "
               f"{error_text(error) if error else ''}",
               "The script (the if __name__ == \"__main__\": part) stopped: "
               f"{error_text(error) if error else ''}")
    png = student.read_output("saddle_plateau.png")
    expect(png is not None,
           "outputs/saddle_plateau.png が保存されていません。plot_saddle_plateau の中で "
           "fig.savefig(OUTPUTS / FIGURE) で保存してください。",
           "outputs/saddle_plateau.png was not saved. Save it in plot_saddle_plateau with "
           "fig.savefig(OUTPUTS / FIGURE).",
           known(mistakes, "figure_not_saved", "図をファイルに保存していません。",
                 "The figure is not saved to a file."))
    expect_png(png, label("outputs/saddle_plateau.png の図",
                          "the figure outputs/saddle_plateau.png"))
    artifacts.image("saddle_plateau.png", png,
                    title={"ja": "鞍点とプラトーの等高線と最急降下法の経路 "
                                 "(saddle_plateau.py の図)",
                           "en": "Saddle point and plateau: contours and descent paths "
                                 "(saddle_plateau.py's figure)"})
