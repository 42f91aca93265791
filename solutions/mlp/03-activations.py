"""Reference solution for exercise 4.3 (activation functions from their definitions)."""

import torch


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def tanh(u):
    e_pos, e_neg = torch.exp(u), torch.exp(-u)
    return (e_pos - e_neg) / (e_pos + e_neg)


def relu(u):
    return torch.clamp(u, min=0)
