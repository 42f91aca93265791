# expect: failed
# message: gives the outputs with no ReLU between the layers
"""Forgets that activation="relu" is part of a Keras Dense layer."""

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
    return nn.Sequential(*[dense_to_linear(weights[i], weights[i + 1]) for i in range(0, len(weights), 2)])
