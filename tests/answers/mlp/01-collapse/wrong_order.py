# expect: failed
# message: the wrong order
"""Multiplies the weights in the order the layers are written, W1 W2."""

import torch


def collapse(layer1, layer2):
    W1, b1 = layer1.weight, layer1.bias
    W2, b2 = layer2.weight, layer2.bias
    return W1 @ W2, W2 @ b1 + b2


def fold_bias(W, b):
    return torch.cat([W, b.reshape(-1, 1)], dim=1)


def append_one(x):
    return torch.cat([x, torch.ones(x.shape[0], 1)], dim=1)
