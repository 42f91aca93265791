# expect: passed
"""Another correct answer: σ(u) = exp(u) / (1 + exp(u)) written safely, the derivative by autograd, logit with log1p."""

import torch


def sigmoid(u):
    e = torch.exp(-u.abs())  # never overflows
    return torch.where(u >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(u):
    x = u.detach().clone().requires_grad_(True)
    sigmoid(x).sum().backward()
    return x.grad


def logit(p):
    return torch.log(p) - torch.log1p(-p)
