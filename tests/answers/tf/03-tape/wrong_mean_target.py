# expect: failed
# message: that of the mean of the target's elements
"""Differentiates the mean of the target instead of its sum."""

import torch


def gradient(f, sources):
    watched = [s.detach().requires_grad_(True) for s in sources]
    target = f(*watched)
    return list(torch.autograd.grad(target.mean(), watched, allow_unused=True))
