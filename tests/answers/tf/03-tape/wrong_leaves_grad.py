# expect: failed
# message: your function left `.grad` on the sources
"""Uses backward() on the caller's tensors and returns their .grad (torch style, not tape style)."""

import torch


def gradient(f, sources):
    for s in sources:
        s.requires_grad_(True)
        s.grad = None
    target = f(*sources)
    target.sum().backward()
    return [s.grad for s in sources]
