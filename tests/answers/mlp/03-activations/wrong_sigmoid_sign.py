# expect: failed
# message: gives σ(-u)
"""Loses the minus sign inside exp."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(u))


def tanh(u):
    return (torch.exp(u) - torch.exp(-u)) / (torch.exp(u) + torch.exp(-u))


def relu(u):
    return torch.clamp(u, min=0)
