"""Reference solution for exercise 8.3 (a tape-style gradient function)."""

import torch


def gradient(f, sources):
    watched = [s.detach().requires_grad_(True) for s in sources]
    target = f(*watched)
    return list(torch.autograd.grad(target.sum(), watched, allow_unused=True))
