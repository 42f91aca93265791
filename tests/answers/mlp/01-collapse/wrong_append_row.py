# expect: failed
# message: you added a row
"""Appends the ones along the wrong dimension: a new sample instead of a new column."""

import torch


def collapse(layer1, layer2):
    W1, b1 = layer1.weight.detach(), layer1.bias.detach()
    W2, b2 = layer2.weight.detach(), layer2.bias.detach()
    return W2 @ W1, W2 @ b1 + b2


def fold_bias(W, b):
    return torch.cat([W, b.reshape(-1, 1)], dim=1)


def append_one(x):
    return torch.cat([x, torch.ones(1, x.shape[1])], dim=0)
