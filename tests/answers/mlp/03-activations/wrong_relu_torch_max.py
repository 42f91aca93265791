# expect: failed
# message: reduces along dimension 0
"""torch.max(u, 0) is the maximum along dimension 0, not max(0, u)."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def tanh(u):
    return (torch.exp(u) - torch.exp(-u)) / (torch.exp(u) + torch.exp(-u))


def relu(u):
    return torch.max(u, 0)
