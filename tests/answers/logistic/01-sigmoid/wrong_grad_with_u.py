# expect: failed
# message: σ(u) is the sigmoid's value, not u itself
"""Computes the derivative as u (1 - u)."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def sigmoid_grad(u):
    s = u
    return s * (1 - s)


def logit(p):
    return torch.log(p / (1 - p))
