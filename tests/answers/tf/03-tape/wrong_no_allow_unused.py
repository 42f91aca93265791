# expect: failed
# message: `tape.gradient` returns None for such a source: pass `allow_unused=True`
"""Forgets allow_unused=True: a source the target does not use raises an error."""

import torch


def gradient(f, sources):
    watched = [s.detach().requires_grad_(True) for s in sources]
    target = f(*watched)
    return list(torch.autograd.grad(target.sum(), watched))
