# expect: passed
"""Another correct answer: closed form for the path, torch.optim.SGD, classification by simulation."""

import torch


def gd_path(s0, a, steps):
    return [s0 * (1 - 2 * a) ** k for k in range(steps + 1)]


def gd_autograd(start, a, steps):
    p = torch.nn.Parameter(start.detach().clone())
    opt = torch.optim.SGD([p], lr=a)
    weights = torch.tensor([0.5, 5.0])
    for _ in range(steps):
        opt.zero_grad()
        f = (weights * p ** 2).sum()
        f.backward()
        opt.step()
    return p.detach().clone()


def classify_rate(a):
    x = 1.0
    signs = []
    for _ in range(200):
        x = x - a * 10 * x
        signs.append(x < 0)
    if abs(x) >= 1.0:
        return "diverges"
    return "zigzag" if any(signs) else "monotone"
