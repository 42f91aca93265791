# expect: failed
# message: On the 2nd call `x2.grad` is the sum of the 1st and 2nd gradients
"""Clears x1.grad before backward() but forgets x2.grad."""

import torch


def make_leaf(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grads(x1, x2):
    x1.grad = None
    y = x1 ** 2 + 2 * x2
    y.retain_grad()
    z = (y ** 3).sum()
    z.backward()
    return z, x1.grad, x2.grad, y.grad
