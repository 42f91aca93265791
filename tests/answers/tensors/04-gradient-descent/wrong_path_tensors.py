# expect: failed
# message: turn it into a Python float with `.item()`
"""The by-hand path kept as one-element tensors instead of floats."""

import torch


def gd_path(s0, a, steps):
    s = torch.tensor(float(s0))
    path = [s]
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
    factor = 1 - 10 * a
    if 0 <= factor < 1:
        return "monotone"
    if -1 < factor < 0:
        return "zigzag"
    return "diverges"
