# expect: failed
# message: put b in the first column
"""Puts the bias in front (and the ones in front of x): consistent, but not what was asked."""

import torch


def collapse(layer1, layer2):
    W1, b1 = layer1.weight.detach(), layer1.bias.detach()
    W2, b2 = layer2.weight.detach(), layer2.bias.detach()
    return W2 @ W1, W2 @ b1 + b2


def fold_bias(W, b):
    return torch.cat([b.reshape(-1, 1), W], dim=1)


def append_one(x):
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)
