"""鞍点とプラトーの可視化 / Saddle points and plateaus, visualised."""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"
FIGURE = "saddle_plateau.png"
SADDLE_STARTS = ((2.0, 0.0), (2.0, 0.05))     # on the ridge x1 = 0, and just off it
PLATEAU_STARTS = ((2.0, 1.5), (0.9, 0.6))     # on the plateau, and near the well
LEARNING_RATE = 0.1
STEP_NUM = 40


def saddle(x):
    """f(x0, x1) = x0^2 - x1^2 (x[0], x[1] は数でも同じ形の配列でもよい)."""
    return x[0] ** 2 - x[1] ** 2


def plateau(x):
    """f(x0, x1) = 1 - exp(-(x0^2 + x1^2)) (x[0], x[1] は数でも同じ形の配列でもよい)."""
    return 1.0 - np.exp(-(x[0] ** 2 + x[1] ** 2))


def descent_path(f, init_x, lr=LEARNING_RATE, step_num=STEP_NUM):
    """gradient_descent の経路: x_history に最後の x を加えた (step_num + 1, 2) の配列."""
    from gradient import gradient_descent

    x, x_history = gradient_descent(f, np.array(init_x, dtype=float), lr=lr,
                                    step_num=step_num)
    return np.vstack([np.asarray(x_history, dtype=float), np.asarray(x, dtype=float)[None]])


def plot_saddle_plateau(saddle_paths, plateau_paths):
    """鞍点とプラトーの等高線と最急降下法の経路を描き、outputs/saddle_plateau.png に保存する."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.meshgrid(np.linspace(-3, 3, 61), np.linspace(-3, 3, 61))
    fig, axes = plt.subplots(1, 2, figsize=(8, 4))
    for ax, f, paths, title in ((axes[0], saddle, saddle_paths, "saddle"),
                                (axes[1], plateau, plateau_paths, "plateau")):
        ax.contour(grid[0], grid[1], f(np.array(grid)), levels=15)
        for points in paths:
            path = np.asarray(points, dtype=float)
            ax.plot(path[:, 0], path[:, 1], "o-", markersize=3)
            ax.plot(path[0, 0], path[0, 1], "ks")
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_xlabel("x0")
        ax.set_ylabel("x1")
        ax.set_title(title)
    OUTPUTS.mkdir(exist_ok=True)
    fig.savefig(OUTPUTS / FIGURE, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    saddle_paths = [descent_path(saddle, start) for start in SADDLE_STARTS]
    plateau_paths = [descent_path(plateau, start) for start in PLATEAU_STARTS]
    for name, f, paths in (("saddle", saddle, saddle_paths),
                           ("plateau", plateau, plateau_paths)):
        for path in paths:
            print(f"{name}: {path[0]} -> {path[-1]}, f = {f(path[-1]):.4f}")
    plot_saddle_plateau(saddle_paths, plateau_paths)
