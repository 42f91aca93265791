# expect: failed
# message: transpose the kernel (`.T`) before copying it into `weight`
"""Copies the Keras kernel as it is: the weight is (in, out) instead of (out, in)."""

import torch
from torch import nn


def dense_to_linear(kernel, bias):
    n_in, n_out = kernel.shape
    layer = nn.Linear(n_in, n_out)
    layer.weight = nn.Parameter(torch.tensor(kernel, dtype=torch.float32))
    layer.bias = nn.Parameter(torch.tensor(bias, dtype=torch.float32))
    return layer


def mlp_from_keras(weights):
    layers = []
    for i in range(0, len(weights), 2):
        layers.append(dense_to_linear(weights[i], weights[i + 1]))
        if i + 2 < len(weights):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
