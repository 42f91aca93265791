# expect: failed
# message: are kept in a plain Python list
"""Keeps the layers in a plain list: nn.Module never sees them."""

from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.layers = [nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out)]

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def make_sequential(n_in, n_hidden, n_out):
    return nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out))
