# expect: passed
"""Another correct answer: torch.bernoulli for the mask, F.dropout with training=self.training in the model."""

import torch
import torch.nn.functional as F
from torch import nn


def dropout(x, p, training):
    if not training:
        return x.clone()
    keep = torch.bernoulli(torch.full_like(x, 1 - p))
    return keep * x / (1 - p)


class DropoutMLP(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p
        self.hidden = nn.Linear(28 * 28, 100)
        self.out = nn.Linear(100, 10)

    def forward(self, x):
        h = F.relu(self.hidden(torch.flatten(x, 1)))
        h = F.dropout(h, p=self.p, training=self.training)
        return self.out(h)
