# expect: passed
"""Another correct answer: exp of a difference, tanh through the sigmoid, ReLU with where."""

import torch


def sigmoid(u):
    return torch.exp(-torch.logaddexp(torch.zeros_like(u), -u))   # 1 / (1 + e^-u), written stably


def tanh(u):
    return 2 * sigmoid(2 * u) - 1


def relu(u):
    return torch.where(u > 0, u, torch.zeros_like(u))
