# expect: failed
# message: uses the whole tensor as one truth value
"""Python's max compares the whole tensor with 0."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def tanh(u):
    return (torch.exp(u) - torch.exp(-u)) / (torch.exp(u) + torch.exp(-u))


def relu(u):
    return max(0, u)
