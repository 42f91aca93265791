# expect: failed
# message: Call `y.retain_grad()` before `backward()`
"""Reads y.grad without retain_grad: it is None."""

import torch


def make_leaf(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grads(x1, x2):
    x1.grad = None
    x2.grad = None
    y = x1 ** 2 + 2 * x2
    z = (y ** 3).sum()
    z.backward()
    return z, x1.grad, x2.grad, y.grad
