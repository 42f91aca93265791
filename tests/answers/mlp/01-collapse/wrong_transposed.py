# expect: failed
# message: has shape (out, in), not (in, out)
"""Treats nn.Linear's weight as (in, out), as in y = x W + b."""

import torch


def collapse(layer1, layer2):
    W1, b1 = layer1.weight.detach(), layer1.bias.detach()
    W2, b2 = layer2.weight.detach(), layer2.bias.detach()
    # "y = x W1 + b1, then y W2 + b2": with the weights read as (in, out)
    return W1.T @ W2.T, W2 @ b1 + b2


def fold_bias(W, b):
    return torch.cat([W, b.reshape(-1, 1)], dim=1)


def append_one(x):
    return torch.cat([x, torch.ones(x.shape[0], 1)], dim=1)
