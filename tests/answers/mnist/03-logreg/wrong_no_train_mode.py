# expect: failed
# message: so call `model.train()` before training
"""Never calls model.train(): after an evaluation between epochs it trains in evaluation mode."""

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
    loss_fn = nn.CrossEntropyLoss()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)
