# expect: failed
# message: not a number: turn it into a Python float with `.item()`
"""Adds up the loss tensors and returns a tensor (with its graph) instead of a float."""

import torch
from torch import nn


class LogisticRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        return self.fc(self.flatten(x))


def train_epoch(model, loader, optimizer):
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss
    return total / len(loader)
