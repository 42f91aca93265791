# expect: failed
# message: changed `requires_grad` of the tensors it was given
"""Turns on gradient tracking on the caller's tensors instead of on copies."""

import torch


def gradient(f, sources):
    for s in sources:
        s.requires_grad_(True)
    target = f(*sources)
    return list(torch.autograd.grad(target.sum(), sources, allow_unused=True))
