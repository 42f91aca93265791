# expect: passed
"""Another correct answer: as_tensor + to(), size(), dim(), a float arange."""

import torch


def make_float_tensor(values):
    return torch.as_tensor(values).to(torch.float32)


def describe(t):
    size = t.size()
    n = 1
    for d in size:
        n *= d
    return tuple(int(d) for d in size), t.dim(), t.dtype, n


def grid(rows, cols):
    return torch.arange(0.0, rows * cols).view(rows, cols)
