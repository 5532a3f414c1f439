"""鞍点・プラトーの可視化 (np.square、np.subtract、fig.add_subplot)."""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parents[1] / "outputs"
FIGURE = "saddle_plateau.png"
SADDLE_STARTS = ((2.0, 0.0), (2.0, 0.05))
PLATEAU_STARTS = ((2.0, 1.5), (0.9, 0.6))
LEARNING_RATE = 0.1
STEP_NUM = 40


def saddle(x):
    return np.subtract(np.square(x[0]), np.square(x[1]))


def plateau(x):
    return 1.0 - np.exp(-(np.square(x[0]) + np.square(x[1])))


def descent_path(f, init_x, lr=LEARNING_RATE, step_num=STEP_NUM):
    from gradient import gradient_descent

    x, x_history = gradient_descent(f, np.array(init_x, dtype=float), lr=lr,
                                    step_num=step_num)
    return np.vstack([np.asarray(x_history, dtype=float), np.asarray(x, dtype=float)[None]])


def plot_saddle_plateau(saddle_paths, plateau_paths):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    axis = np.linspace(-3, 3, 50)
    grid = np.array(np.meshgrid(axis, axis))
    fig = pyplot.figure(figsize=(9, 4), dpi=72)
    for place, (f, paths) in enumerate(((saddle, saddle_paths), (plateau, plateau_paths)), 1):
        ax = fig.add_subplot(1, 2, place)
        ax.contour(grid[0], grid[1], f(grid), 12, cmap="coolwarm")
        for path in paths:
            ax.plot(*np.asarray(path).T, marker="o", ms=2)
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    fig.savefig(str(OUTPUTS / FIGURE))
    pyplot.close(fig)


if __name__ == "__main__":
    plot_saddle_plateau([descent_path(saddle, s) for s in SADDLE_STARTS],
                        [descent_path(plateau, s) for s in PLATEAU_STARTS])
