# expect: failed
# message: it was computed from another tensor, so it is not a leaf
"""Turns on requires_grad first, then converts: the result is not a leaf."""

import torch


def make_leaf(values):
    return torch.tensor(values, dtype=torch.float64, requires_grad=True).float()


def grads(x1, x2):
    x1.grad = None
    x2.grad = None
    y = x1 ** 2 + 2 * x2
    y.retain_grad()
    z = (y ** 3).sum()
    z.backward()
    return z, x1.grad, x2.grad, y.grad
