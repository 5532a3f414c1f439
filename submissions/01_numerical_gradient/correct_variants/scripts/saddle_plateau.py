"""鞍点とプラトー: 別の書き方 (x0, x1 に分ける、軸 0 の和、contourf、3 つのグラフ)."""

import os

import numpy as np

OUTPUTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "outputs")
FIGURE = "saddle_plateau.png"
SADDLE_STARTS = ((2.0, 0.0), (2.0, 0.05))
PLATEAU_STARTS = ((2.0, 1.5), (0.9, 0.6))


def saddle(x):
    x0, x1 = x[0], x[1]
    return x0 * x0 - x1 * x1


def plateau(x):
    return 1 - np.exp(-np.square(x).sum(axis=0))


def descent_path(f, init_x, lr=0.1, step_num=60):
    from gradient import gradient_descent

    x, history = gradient_descent(f, np.array(init_x, dtype=float), lr=lr, step_num=step_num)
    return np.concatenate([history, [x]])


def plot_saddle_plateau(saddle_paths, plateau_paths):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x0, x1 = np.meshgrid(np.linspace(-3, 3, 81), np.linspace(-3, 3, 81))
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    for ax, f, paths in ((axes[0], saddle, saddle_paths), (axes[1], plateau, plateau_paths)):
        filled = ax.contourf(x0, x1, f(np.array([x0, x1])), levels=20, cmap="viridis")
        fig.colorbar(filled, ax=ax)
        for path in paths:
            ax.plot(path[:, 0], path[:, 1], "r.-")
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
    for path in plateau_paths:
        axes[2].plot([plateau(p) for p in path])
    fig.savefig(os.path.join(OUTPUTS, FIGURE))
    plt.close(fig)


if __name__ == "__main__":
    os.makedirs(OUTPUTS, exist_ok=True)
    plot_saddle_plateau([descent_path(saddle, s) for s in SADDLE_STARTS],
                        [descent_path(plateau, s) for s in PLATEAU_STARTS])
