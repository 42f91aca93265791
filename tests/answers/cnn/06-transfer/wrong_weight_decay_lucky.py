# expect: failed
# message: They did not move this time
"""Freezes with requires_grad=False and zeroes the gradients first (to None), so the frozen layers
happen not to move; but the optimizer holds them, with weight decay."""

import torch
from torch import nn


def prepare_transfer(model, num_classes):
    for p in model.features.parameters():
        p.requires_grad = False
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model


def train_head(model, loader, epochs):
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.003, weight_decay=0.01)
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
