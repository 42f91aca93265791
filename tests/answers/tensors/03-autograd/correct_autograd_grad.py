# expect: passed
"""Another correct answer: requires_grad_ after float(), torch.autograd.grad with y as an input."""

import torch


def make_leaf(values):
    return torch.tensor(values).float().requires_grad_()


def grads(x1, x2):
    y = x1.pow(2) + x2.mul(2)
    z = y.pow(3).sum()
    # autograd.grad returns the gradients instead of storing them in .grad,
    # so nothing accumulates between calls.
    g1, g2, gy = torch.autograd.grad(z, (x1, x2, y))
    return z.item(), g1, g2, gy
