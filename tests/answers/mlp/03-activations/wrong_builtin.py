# expect: failed
# message: calls PyTorch's own
"""Calls the built-in activations instead of writing the definitions."""

import torch
import torch.nn.functional as F


def sigmoid(u):
    return torch.sigmoid(u)


def tanh(u):
    return u.tanh()


def relu(u):
    return F.relu(u)
