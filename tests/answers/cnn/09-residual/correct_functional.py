# expect: passed
"""Another correct answer: torch.relu in forward, the projection kept as two attributes, None for the identity."""

import torch
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.c1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)
        self.n1 = nn.BatchNorm2d(out_channels)
        self.c2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False)
        self.n2 = nn.BatchNorm2d(out_channels)
        self.proj = self.proj_bn = None
        if stride != 1 or in_channels != out_channels:
            self.proj = nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False)
            self.proj_bn = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        skip = x if self.proj is None else self.proj_bn(self.proj(x))
        y = self.n2(self.c2(torch.relu(self.n1(self.c1(x)))))
        return torch.relu(y + skip)
