# expect: failed
# message: the derivative of f(x) = x^2 is 2x, not x
"""Uses f'(x) = x for f(x) = x^2 in the hand-computed path."""

import torch


def gd_path(s0, a, steps):
    path = [float(s0)]
    for _ in range(steps):
        path.append(path[-1] - a * path[-1])
    return path


def gd_autograd(start, a, steps):
    p = start.clone().requires_grad_(True)
    for _ in range(steps):
        f = p[0] ** 2 / 2 + 5 * p[1] ** 2
        f.backward()
        with torch.no_grad():
            p -= a * p.grad
        p.grad.zero_()
    return p.detach()


def classify_rate(a):
    factor = 1 - 10 * a
    if factor >= 0:
        return "monotone"
    if factor > -1:
        return "zigzag"
    return "diverges"
