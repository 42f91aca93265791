# expect: failed
# message: a mean where the sum is asked for
"""z = mean(y**3) instead of the sum."""

import torch


def make_leaf(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grads(x1, x2):
    x1.grad = None
    x2.grad = None
    y = x1 ** 2 + 2 * x2
    y.retain_grad()
    z = (y ** 3).mean()
    z.backward()
    return z, x1.grad, x2.grad, y.grad
