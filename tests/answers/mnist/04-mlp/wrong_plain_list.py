# expect: failed
# message: plain Python list
"""Keeps the MLP's layers in a plain Python list: nothing is registered."""

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10)]

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class LectureNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(784, 784)
        self.l2 = nn.Linear(784, 784)
        self.l3 = nn.Linear(784, 10)

    def forward(self, x):
        x = x.view(-1, 28 * 28)
        x = torch.sigmoid(self.l1(x))
        x = torch.sigmoid(self.l2(x))
        return F.log_softmax(self.l3(x), dim=1)


def train_epoch(model, loader, optimizer):
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    return total / len(loader.dataset)
