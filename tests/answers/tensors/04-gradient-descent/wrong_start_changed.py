# expect: failed
# message: changed the tensor `start` it was given
"""p made from `start` without a copy: the in-place updates change the caller's tensor."""

import torch


def gd_path(s0, a, steps):
    path = [float(s0)]
    for _ in range(steps):
        path.append(path[-1] - a * 2 * path[-1])
    return path


def gd_autograd(start, a, steps):
    p = start.requires_grad_(True)
    for _ in range(steps):
        f = p[0] ** 2 / 2 + 5 * p[1] ** 2
        f.backward()
        with torch.no_grad():
            p -= a * p.grad
        p.grad.zero_()
    return p.detach()


def classify_rate(a):
    factor = 1 - 10 * a
    if 0 <= factor < 1:
        return "monotone"
    if -1 < factor < 0:
        return "zigzag"
    return "diverges"
