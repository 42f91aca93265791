# expect: failed
# message: has no activation (ReLU) on its hidden layer
"""DropoutMLP without its ReLU."""

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
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(784, 100)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        return self.fc2(self.dropout(self.fc1(self.flatten(x))))
