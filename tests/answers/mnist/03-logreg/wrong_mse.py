# expect: failed
# message: mean squared error
"""MSE between the logits and one-hot targets, as if it were regression."""

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
    loss_fn = nn.MSELoss()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(images), nn.functional.one_hot(labels, 10).float())
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    return total / len(loader.dataset)
