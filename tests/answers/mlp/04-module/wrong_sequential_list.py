# expect: failed
# message: passes one list to `nn.Sequential`
"""Hands nn.Sequential a list instead of the layers."""

from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out))

    def forward(self, x):
        return self.net(x)


def make_sequential(n_in, n_hidden, n_out):
    return nn.Sequential([nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out)])
