# expect: failed
# message: the gradient must come from `backward()`
"""The gradient (x1, 10*x2) typed in as a formula: the right numbers, but no autograd."""

import torch


def gd_path(s0, a, steps):
    path = [float(s0)]
    for _ in range(steps):
        path.append(path[-1] - a * 2 * path[-1])
    return path


def gd_autograd(start, a, steps):
    p = start.detach().clone().float()
    for _ in range(steps):
        grad = torch.stack([p[0], 10 * p[1]])
        p = p - a * grad
    return p


def classify_rate(a):
    factor = 1 - 10 * a
    if 0 <= factor < 1:
        return "monotone"
    if -1 < factor < 0:
        return "zigzag"
    return "diverges"
