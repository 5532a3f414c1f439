"""鞍点・プラトーの可視化 (スライド 002 の演習、plt の関数で描く)."""

from pathlib import Path

import numpy as np

OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"
FIGURE = "saddle_plateau.png"


def saddle(x):
    return x[0]**2 - x[1]**2


def plateau(x):
    return 1 - np.exp(-(x[0]**2 + x[1]**2))


def descent_path(f, init_x, lr=0.1, step_num=40):
    from gradient import gradient_descent

    x, x_history = gradient_descent(f, np.array(init_x, dtype=float), lr=lr,
                                    step_num=step_num)
    return np.vstack([x_history, x])


def plot_saddle_plateau(saddle_paths, plateau_paths):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x0 = np.arange(-3, 3.1, 0.1)
    x1 = np.arange(-3, 3.1, 0.1)
    X, Y = np.meshgrid(x0, x1)
    plt.figure(figsize=(10, 4))
    plt.subplot(1, 2, 1)
    plt.contour(X, Y, saddle(np.array([X, Y])), 20)
    for path in saddle_paths:
        plt.plot(path[:, 0], path[:, 1], "o")
    plt.xlim(-3, 3)
    plt.ylim(-3, 3)
    plt.subplot(1, 2, 2)
    plt.contour(X, Y, plateau(np.array([X, Y])), 20)
    for path in plateau_paths:
        plt.plot(path[:, 0], path[:, 1], "o")
    plt.xlim(-3, 3)
    plt.ylim(-3, 3)
    OUTPUTS.mkdir(exist_ok=True)
    plt.savefig(OUTPUTS / FIGURE)


if __name__ == "__main__":
    plot_saddle_plateau([descent_path(saddle, [2.0, 0.0]), descent_path(saddle, [2.0, 0.1])],
                        [descent_path(plateau, [2.0, 1.5]), descent_path(plateau, [1.0, 0.5])])
