# expect: passed
"""Another correct answer: nn.ModuleList and F.relu in the class, Sequential built from a list."""

import torch.nn.functional as F
from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super(TwoLayerNet, self).__init__()
        self.layers = nn.ModuleList([nn.Linear(n_in, n_hidden), nn.Linear(n_hidden, n_out)])

    def forward(self, x):
        first, second = self.layers
        return second(F.relu(first(x)))


def make_sequential(n_in, n_hidden, n_out):
    layers = [nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out)]
    return nn.Sequential(*layers)
