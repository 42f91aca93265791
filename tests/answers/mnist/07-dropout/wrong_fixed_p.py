# expect: failed
# message: Use the p given to `DropoutMLP(p)`
"""Hard-codes nn.Dropout(0.5) and ignores the argument p."""

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
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Dropout(0.5), nn.Linear(100, 10))

    def forward(self, x):
        return self.net(x)
