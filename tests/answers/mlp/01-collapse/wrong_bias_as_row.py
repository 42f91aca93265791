# expect: error
# message: give it the shape (m, 1) first
"""fold_bias joins b of shape (m,) to W without making it a column."""

import torch


def collapse(layer1, layer2):
    W1, b1 = layer1.weight.detach(), layer1.bias.detach()
    W2, b2 = layer2.weight.detach(), layer2.bias.detach()
    # y = W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)
    return W2 @ W1, W2 @ b1 + b2


def fold_bias(W, b):
    return torch.cat([W, b], dim=1)


def append_one(x):
    ones = torch.ones(x.shape[0], 1, dtype=x.dtype)
    return torch.cat([x, ones], dim=1)
