"""Reference solution for exercise 1.4 (gradient descent by hand and with autograd)."""

import torch


def gd_path(s0, a, steps):
    path = [float(s0)]
    s = float(s0)
    for _ in range(steps):
        s = s - a * 2 * s
        path.append(s)
    return path


def gd_autograd(start, a, steps):
    p = start.detach().clone().float().requires_grad_(True)
    for _ in range(steps):
        f = p[0] ** 2 / 2 + 5 * p[1] ** 2
        f.backward()
        with torch.no_grad():
            p -= a * p.grad
        p.grad.zero_()
    return p.detach()


def classify_rate(a):
    factor = 1 - 10 * a  # x2 is multiplied by this at every step
    if 0 <= factor < 1:
        return "monotone"
    if -1 < factor < 0:
        return "zigzag"
    return "diverges"
