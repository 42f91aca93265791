# expect: failed
# message: Reshaping only refills the elements in their order
"""Gets the shape right with reshape instead of a transpose."""

import torch
from torch import nn


def dense_to_linear(kernel, bias):
    n_in, n_out = kernel.shape
    layer = nn.Linear(n_in, n_out)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(kernel, dtype=torch.float32).reshape(n_out, n_in))
        layer.bias.copy_(torch.tensor(bias, dtype=torch.float32))
    return layer


def mlp_from_keras(weights):
    layers = []
    for i in range(0, len(weights), 2):
        layers.append(dense_to_linear(weights[i], weights[i + 1]))
        if i + 2 < len(weights):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
