# expect: passed
"""Another correct answer: load_state_dict with a transposed copy, and an nn.ModuleList model."""

import numpy as np
import torch
from torch import nn


def dense_to_linear(kernel, bias):
    kernel = np.ascontiguousarray(np.asarray(kernel, dtype=np.float32).transpose())
    layer = nn.Linear(kernel.shape[1], kernel.shape[0])
    layer.load_state_dict({"weight": torch.from_numpy(kernel), "bias": torch.from_numpy(np.asarray(bias, dtype=np.float32))})
    return layer


class KerasMLP(nn.Module):
    def __init__(self, weights):
        super().__init__()
        self.layers = nn.ModuleList(dense_to_linear(k, b) for k, b in zip(weights[::2], weights[1::2]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x


def mlp_from_keras(weights):
    return KerasMLP(weights)
