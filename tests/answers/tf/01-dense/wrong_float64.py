# expect: failed
# message: from a float64 NumPy array, `torch.from_numpy` and `torch.tensor` keep that dtype
"""Wraps the arrays with torch.from_numpy: a float64 kernel gives a float64 layer."""

import torch
from torch import nn


def dense_to_linear(kernel, bias):
    n_in, n_out = kernel.shape
    layer = nn.Linear(n_in, n_out)
    layer.weight = nn.Parameter(torch.from_numpy(kernel.T.copy()))
    layer.bias = nn.Parameter(torch.from_numpy(bias.copy()))
    return layer


def mlp_from_keras(weights):
    layers = []
    for i in range(0, len(weights), 2):
        layers.append(dense_to_linear(weights[i], weights[i + 1]))
        if i + 2 < len(weights):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
