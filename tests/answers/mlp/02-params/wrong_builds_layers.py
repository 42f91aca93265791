# expect: failed
# message: `weight_shapes([2, 15, 1])` builds a model
"""Builds an nn.Linear to read its shapes, where the stub says to build no model
(the count by a loop and named_parameters is fine)."""

from torch import nn


def param_count(sizes):
    total = 0
    for k in range(len(sizes) - 1):
        total += (sizes[k] + 1) * sizes[k + 1]   # in weights + 1 bias for each output
    return total


def weight_shapes(sizes):
    out = []
    for k in range(len(sizes) - 1):
        layer = nn.Linear(sizes[k], sizes[k + 1])
        out.append((tuple(layer.weight.shape), tuple(layer.bias.shape)))
    return out


def count_parameters(model):
    total = 0
    for _, p in model.named_parameters():
        total += p.numel()
    return total
