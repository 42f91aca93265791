# expect: failed
# message: `requires_grad` is not set to False
"""Only swaps the head: nothing is frozen, and the optimizer trains everything."""

import torch
from torch import nn


def prepare_transfer(model, num_classes):
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model


def train_head(model, loader, epochs):
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    history = []
    for _ in range(epochs):
        total = 0.0
        for images, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / len(loader))
    return history
