# expect: passed
"""Another correct answer: build the layers for the shapes, count with a loop and named_parameters."""

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
