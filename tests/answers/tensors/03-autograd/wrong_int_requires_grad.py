# expect: error
# message: `requires_grad=True` needs a floating-point tensor
"""Asks for gradients on an integer tensor (values are ints)."""

import torch


def make_leaf(values):
    return torch.tensor(values, requires_grad=True)


def grads(x1, x2):
    x1.grad = None
    x2.grad = None
    y = x1 ** 2 + 2 * x2
    y.retain_grad()
    z = (y ** 3).sum()
    z.backward()
    return z, x1.grad, x2.grad, y.grad
