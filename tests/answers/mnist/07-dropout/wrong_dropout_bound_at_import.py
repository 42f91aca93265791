# expect: failed
# message: uses a library function
"""dropout through F.dropout bound at import under another name."""

import torch
from torch.nn.functional import dropout as drop
from torch import nn


def dropout(x, p, training):
    return drop(x, p, training)


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
