# expect: passed
"""Another correct answer: backward() on private clones, whose .grad is returned."""

import torch


def gradient(f, sources):
    copies = [s.clone().detach().requires_grad_() for s in sources]
    f(*copies).sum().backward()
    return [c.grad for c in copies]
