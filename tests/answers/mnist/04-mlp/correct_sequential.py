# expect: passed
"""Another correct answer: nn.Sequential for MLP, nn.ModuleList for LectureNet, F.cross_entropy with a sample-weighted mean."""

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 10))

    def forward(self, x):
        return self.net(x)


class LectureNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(784, 784), nn.Linear(784, 784), nn.Linear(784, 10)])

    def forward(self, x):
        x = torch.flatten(x, start_dim=1)
        for layer in self.layers[:-1]:
            x = torch.sigmoid(layer(x))
        return torch.log_softmax(self.layers[-1](x), dim=1)


def train_epoch(model, loader, optimizer):
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * x.size(0)
        count += x.size(0)
    return total / count
