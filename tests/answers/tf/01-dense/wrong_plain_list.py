# expect: failed
# message: layers kept in a plain Python list are invisible to `nn.Module`
"""mlp_from_keras keeps its layers in a plain list inside a Module."""

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


class KerasMLP(nn.Module):
    def __init__(self, weights):
        super().__init__()
        self.layers = [dense_to_linear(weights[i], weights[i + 1]) for i in range(0, len(weights), 2)]

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))
        return self.layers[-1](x)


def mlp_from_keras(weights):
    return KerasMLP(weights)
