# expect: failed
# message: applies a ReLU after the last layer too
"""Puts a ReLU after every layer, the last one too."""

import numpy as np
import torch
from torch import nn


def dense_to_linear(kernel, bias):
    n_in, n_out = kernel.shape
    layer = nn.Linear(n_in, n_out)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(np.asarray(kernel).T, dtype=torch.float32))
        layer.bias.copy_(torch.tensor(np.asarray(bias), dtype=torch.float32))
    return layer


def mlp_from_keras(weights):
    layers = []
    for i in range(0, len(weights), 2):
        layers.append(dense_to_linear(weights[i], weights[i + 1]))
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)
