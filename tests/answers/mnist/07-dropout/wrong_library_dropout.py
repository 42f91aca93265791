# expect: failed
# message: This function is practice in writing it by hand
"""Calls F.dropout instead of writing dropout by hand."""

import torch
import torch.nn.functional as F
from torch import nn


def dropout(x, p, training):
    return F.dropout(x, p, training=training)


class DropoutMLP(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(784, 100)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        return self.fc2(self.dropout(self.relu(self.fc1(self.flatten(x)))))
