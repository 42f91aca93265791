# expect: failed
# message: `tape.gradient` returns None, not zeros
"""Returns zeros instead of None for an unused source."""

import torch


def gradient(f, sources):
    watched = [s.detach().requires_grad_(True) for s in sources]
    target = f(*watched)
    grads = torch.autograd.grad(target.sum(), watched, allow_unused=True)
    return [torch.zeros_like(s) if g is None else g for g, s in zip(grads, sources)]
