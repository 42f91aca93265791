# expect: failed
# message: Put the whole denominator in parentheses
"""Forgets the parentheses around the denominator."""

import torch


def sigmoid(u):
    return 1 / 1 + torch.exp(-u)


def sigmoid_grad(u):
    s = sigmoid(u)
    return s * (1 - s)


def logit(p):
    return torch.log(p / (1 - p))
