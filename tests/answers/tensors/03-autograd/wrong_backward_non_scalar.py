# expect: error
# message: `backward()` needs a one-element (scalar) tensor
"""Calls backward on y**3 (a matrix) before summing."""

import torch


def make_leaf(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grads(x1, x2):
    x1.grad = None
    x2.grad = None
    y = x1 ** 2 + 2 * x2
    y.retain_grad()
    w = y ** 3
    w.backward()
    z = w.sum()
    return z, x1.grad, x2.grad, y.grad
