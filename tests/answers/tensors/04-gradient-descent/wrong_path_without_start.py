# expect: failed
# message: does not include the start s0
"""Returns only the updated values, without s0."""

import torch


def gd_path(s0, a, steps):
    s, path = s0, []
    for _ in range(steps):
        s = s - a * 2 * s
        path.append(s)
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
