"""Hidden tests: scripts/saddle_plateau.py (saddle, plateau).

One test per function: its values on a grid (shape (2, H, W) -> (H, W), not square) and
at single points, its numerical gradient at a few points (the saddle point (0, 0) among
them), and what gradient descent does on it, which is what 002 「鞍点(あんてん)」 and
002 「プラトー」 teach:

* saddle: descent started on the ridge x1 = 0 ends at the saddle point (gradient about 0)
  although f still goes down along x1 there; started just off the ridge, it escapes.
* plateau: descent started on the flat region barely moves in the steps given; started
  near the well, it reaches the minimum.

The descent is the test's own (x <- x - lr ∇f(x), the gradient by central differences
of the student's function), not the student's gradient_descent, so a mistake in
gradient.py costs nothing here. The four points of each step's central differences go to
the student's function in one call, as a grid of shape (2, 4) (the function handles grids:
the values test checks that first), so a descent costs one round trip a step. The figure
is judged by the public test (it runs the script). Messages name shapes and what went
wrong, never the points or the values.
"""

import numpy as np

from checks import Mistake, as_array, expect, expect_array, expect_number, label

STEPS, LR, H = 12, 0.2, 1e-4
#: The four points of a step's central differences, as offsets: x ± h e0, x ± h e1.
AROUND = np.array([[H, -H, 0.0, 0.0], [0.0, 0.0, H, -H]])


def _mistake(mistakes, mistake_id):
    return Mistake.from_catalogue(mistakes, mistake_id)


def _grid():
    """x of shape (2, 4, 5): x[0] holds x0 and x[1] holds x1."""
    return np.array(np.meshgrid(np.linspace(-2.5, 2.0, 5), np.array([-1.5, -0.2, 0.7, 2.2])))


POINTS = (np.array([1.5, -0.5]), np.array([-2.0, 1.25]), np.array([0.3, 2.5]),
          np.array([0.0, 0.0]))


def _values(f, ref_f, name, candidates):
    """The grid first (the kind of a difference shows there), then single points."""
    grid = _grid()
    expect_array(f(grid.copy()), ref_f(grid),
                 label(f"{name}(x) (x は形 {grid.shape} の格子、結果は形 {grid.shape[1:]})",
                       f"{name}(x) (x a grid of shape {grid.shape}, the result of shape "
                       f"{grid.shape[1:]})"),
                 rtol=1e-9, mistakes=[(mistake, value(grid)) for mistake, value in candidates])
    for number, point in enumerate(POINTS, start=1):
        expect_number(f(point.copy()), float(ref_f(point)),
                      label(f"{name}(x) (x は 1 点、形 (2,)、{number} 点目)",
                            f"{name}(x) (x one point of shape (2,), point {number})"),
                      rtol=1e-9, atol=1e-12)


def _gradient(f, x, name):
    """∇f(x) by central differences: the four points in one call of f."""
    values = as_array(f(np.asarray(x, dtype=float)[:, None] + AROUND),
                      label(f"{name}(x) (x は形 (2, 4) の 4 点)", f"{name}(x) (x four points, "
                            "shape (2, 4))"))
    expect(values.shape == (4,),
           f"{name}(x) が形 (2, 4) の x (4 点) に形 {values.shape} の値を返しました (期待 (4,))。",
           f"{name}(x) returned shape {values.shape} for x of shape (2, 4), four points "
           "(expected (4,)).")
    return np.array([values[0] - values[1], values[2] - values[3]]) / (2 * H)


def _gradients(f, analytic, name):
    for number, point in enumerate(POINTS[2:], start=1):
        expect_array(_gradient(f, point, name), analytic(point),
                     label(f"{name} の数値微分による勾配 ({number} 点目)",
                           f"the numerical gradient of {name} (point {number})"),
                     rtol=1e-5, atol=1e-6)


def _path(f, start, name):
    """The final x of STEPS steps of gradient descent on the student's f."""
    x = np.array(start, dtype=float)
    for _ in range(STEPS):
        x = x - LR * _gradient(f, x, name)
        expect(bool(np.all(np.isfinite(x))),
               f"{name} の上の最急降下法が発散しました (NaN または inf)。",
               f"Gradient descent on {name} diverged (NaN or inf).")
    return x


def test_saddle(student, reference, mistakes):
    sp, ref = student("saddle_plateau"), reference("saddle_plateau")
    summed = _mistake(mistakes, "landscape_summed")
    _values(sp.saddle, ref.saddle, "saddle", [(summed, lambda grid: np.sum(ref.saddle(grid)))])
    _gradients(sp.saddle, lambda p: np.array([2 * p[0], -2 * p[1]]), "saddle")
    end = _path(sp.saddle, (1.5, 0.0), "saddle")
    slope = np.linalg.norm(_gradient(sp.saddle, end, "saddle"))
    expect(float(np.linalg.norm(end)) < 0.01 and slope < 0.02,
           f"尾根 (x1 = 0) の上から出発した最急降下法 ({STEPS} 回) が鞍点 (0, 0) で止まりません"
           "でした。",
           f"Gradient descent ({STEPS} steps) started on the ridge x1 = 0 did not stop at "
           "the saddle point (0, 0).")
    expect(float(sp.saddle(end + np.array([0.0, 0.5]))) < float(sp.saddle(end)),
           "鞍点 (0, 0) は最小値ではないはずですが、x1 の方向に動いても f が下がりません。",
           "The saddle point (0, 0) should be no minimum, yet f does not go down along x1.")
    end = _path(sp.saddle, (1.5, 0.05), "saddle")
    expect(abs(float(end[1])) > 1.0,
           f"尾根から少し外れた点から出発した最急降下法 ({STEPS} 回) が鞍点から離れていきません"
           "でした (x1 の方向に下がっていくはずです)。",
           f"Gradient descent ({STEPS} steps) started just off the ridge did not leave the "
           "saddle point (it should go down along x1).")


def test_plateau(student, reference, mistakes):
    sp, ref = student("saddle_plateau"), reference("saddle_plateau")
    _values(sp.plateau, ref.plateau, "plateau",
            [(_mistake(mistakes, "landscape_summed"),
              lambda grid: 1.0 - np.exp(-np.sum(grid ** 2))),
             (_mistake(mistakes, "plateau_exp_sign"),
              lambda grid: 1.0 - np.exp(grid[0] ** 2 + grid[1] ** 2))])

    def analytic(p):
        return 2.0 * p * np.exp(-np.sum(p ** 2))

    _gradients(sp.plateau, analytic, "plateau")
    start = np.array([2.0, -1.8])
    end = _path(sp.plateau, start, "plateau")
    expect(float(np.linalg.norm(end - start)) < 0.05,
           f"平らな地帯 (プラトー) から出発した最急降下法は {STEPS} 回ではほとんど動かない"
           "はずですが、大きく動きました。",
           f"Gradient descent started on the flat region (the plateau) should barely move in "
           f"{STEPS} steps, but it moved far.")
    end = _path(sp.plateau, (0.7, 0.5), "plateau")
    expect(float(sp.plateau(end)) < 0.01,
           f"くぼみの近くから出発した最急降下法が {STEPS} 回で最小値 (0, 0) に近づきません"
           "でした。",
           f"Gradient descent started near the well did not approach the minimum (0, 0) in "
           f"{STEPS} steps.")
