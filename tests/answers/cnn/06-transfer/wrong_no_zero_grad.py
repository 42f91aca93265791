# expect: failed
# message: you forgot to zero grad
"""Never zeroes the head's gradients (the frozen layers' old gradients are not the point)."""

import torch
from torch import nn


def prepare_transfer(model, num_classes):
    for p in model.features.parameters():
        p.requires_grad = False
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model


def train_head(model, loader, epochs):
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.head.parameters(), lr=0.003)
    history = []
    for epoch in range(epochs):
        model.train()
        total, count = 0.0, 0
        for images, labels in loader:
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            count += len(labels)
        history.append(total / count)
    return history
