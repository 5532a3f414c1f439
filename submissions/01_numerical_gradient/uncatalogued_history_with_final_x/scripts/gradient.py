"""One mistake: x_history also holds the final x (step_num + 1 entries), where the kit
asks for the x before each update only (step_num entries). Otherwise correct_variants."""

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
    x_history = [x]
    for _ in range(step_num):
        x = x - lr * numerical_gradient(f, x)
        x_history.append(x)
    return x, np.stack(x_history)
