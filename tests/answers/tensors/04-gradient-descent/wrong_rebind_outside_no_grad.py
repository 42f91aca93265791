# expect: failed
# message: makes the new p a computed (non-leaf) tensor
"""Rebinds p = p - a * p.grad with autograd on: p stops being a leaf."""

import torch


def gd_path(s0, a, steps):
    path = [float(s0)]
    for _ in range(steps):
        path.append(path[-1] - a * 2 * path[-1])
    return path


def gd_autograd(start, a, steps):
    p = start.clone().requires_grad_(True)
    for _ in range(steps):
        f = p[0] ** 2 / 2 + 5 * p[1] ** 2
        f.backward()
        p = p - a * p.grad
    return p.detach()


def classify_rate(a):
    factor = 1 - 10 * a
    if factor >= 0:
        return "monotone"
    if factor > -1:
        return "zigzag"
    return "diverges"
