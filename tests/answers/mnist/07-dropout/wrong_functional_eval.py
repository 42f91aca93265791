# expect: failed
# message: `F.dropout(x, p)` defaults to `training=True`
"""F.dropout without training=self.training: the model keeps dropping under eval()."""

import torch
import torch.nn.functional as F
from torch import nn


def dropout(x, p, training):
    if not training or p == 0:
        return x
    mask = (torch.rand_like(x) >= p).float()
    return x * mask / (1 - p)


class DropoutMLP(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p
        self.fc1 = nn.Linear(784, 100)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x.view(-1, 784)))
        return self.fc2(F.dropout(x, self.p))
