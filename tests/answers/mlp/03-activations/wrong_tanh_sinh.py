# expect: failed
# message: which is sinh
"""Divides by 2 instead of by exp(u) + exp(-u)."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def tanh(u):
    return (torch.exp(u) - torch.exp(-u)) / 2


def relu(u):
    return torch.clamp(u, min=0)
