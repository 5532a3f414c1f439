"""数値微分と勾配法 / numerical gradients (a different but accepted way of writing it).

- numerical_gradient perturbs copies of x (x itself is never changed);
- x_history without copies: x is rebound (x = x - ...), never changed in place.
"""

import numpy as np


def numerical_diff(f, x, h=1e-4):
    return 0.5 * (f(x + h) - f(x - h)) / h


def numerical_gradient(f, x, h=1e-4):
    grad = np.empty(x.shape)
    flat_grad = grad.reshape(-1)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        flat_grad[i] = (f(x + step) - f(x - step)) / (2.0 * h)
    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = np.array(init_x, dtype=float)
    x_history = []
    for _ in range(step_num):
        x_history.append(x)  # x is rebound below (x = x - ...), so no copy is needed
        x = x - lr * numerical_gradient(f, x)
    return x, np.stack(x_history)
