# expect: failed
# message: Put the dropout after the ReLU
"""Puts the dropout on the input image instead of the hidden layer."""

import torch
from torch import nn


def dropout(x, p, training):
    if not training or p == 0:
        return x
    mask = (torch.rand_like(x) >= p).float()
    return x * mask / (1 - p)


class DropoutMLP(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Dropout(p), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))

    def forward(self, x):
        return self.net(x)
