# expect: failed
# message: has the wrong sign
"""Inverts the ratio inside the logit."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def sigmoid_grad(u):
    s = sigmoid(u)
    return s * (1 - s)


def logit(p):
    return torch.log((1 - p) / p)
