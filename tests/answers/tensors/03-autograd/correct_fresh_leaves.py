# expect: passed
"""Another correct answer: fresh leaves per call (detach().requires_grad_()), zero_() on y.grad free."""

import torch


def make_leaf(values):
    leaf = torch.zeros(len(values), len(values[0]), requires_grad=False)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            leaf[i, j] = v
    return leaf.requires_grad_(True)


def grads(x1, x2):
    a = x1.detach().requires_grad_(True)
    b = x2.detach().requires_grad_(True)
    y = a * a + b + b
    y.retain_grad()
    z = torch.sum(y * y * y)
    z.backward()
    return z, a.grad, b.grad, y.grad
