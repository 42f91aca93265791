# expect: failed
# message: holds only one of the two biases
"""Keeps only the last layer's bias."""

import torch


def collapse(layer1, layer2):
    W1 = layer1.weight.detach()
    W2, b2 = layer2.weight.detach(), layer2.bias.detach()
    return W2 @ W1, b2


def fold_bias(W, b):
    return torch.cat([W, b.reshape(-1, 1)], dim=1)


def append_one(x):
    return torch.cat([x, torch.ones(x.shape[0], 1)], dim=1)
