# expect: failed
# message: The new `model.head` is frozen too
"""Replaces the head first, then freezes the whole model: nothing can learn."""

import torch
from torch import nn


def prepare_transfer(model, num_classes):
    model.head = nn.Linear(model.head.in_features, num_classes)
    for p in model.parameters():
        p.requires_grad = False
    return model


def train_head(model, loader, epochs):
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.head.parameters(), lr=0.003)
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
