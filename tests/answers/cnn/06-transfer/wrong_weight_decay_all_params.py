# expect: failed
# message: the optimizer was given all parameters
"""Freezes with requires_grad=False, but hands the optimizer all parameters with weight decay and
momentum; zero_grad comes after step, so the first step uses the gradients left from pretraining."""

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
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    history = []
    for _ in range(epochs):
        total = 0.0
        for images, labels in loader:
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            total += loss.item()
        history.append(total / len(loader))
    return history
