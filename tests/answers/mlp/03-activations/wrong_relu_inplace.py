# expect: failed
# message: changed the u it was given in place
"""Zeroes the negative entries of the caller's tensor."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def tanh(u):
    return (torch.exp(u) - torch.exp(-u)) / (torch.exp(u) + torch.exp(-u))


def relu(u):
    u[u < 0] = 0
    return u
