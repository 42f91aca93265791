# expect: failed
# message: turn it into a Python float with `.item()`
"""Adds up the loss tensors themselves: train_losses holds tensors with their graphs."""

import copy

import torch
from torch import nn


def train_with_validation(model, train_loader, val_loader, epochs, lr):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    train_losses, val_losses = [], []
    best_loss, best_epoch, best_state = float("inf"), -1, None
    for epoch in range(epochs):
        model.train()
        total, count = 0.0, 0
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
            total += loss * len(inputs)
            count += len(inputs)
        train_losses.append(total / count)

        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for inputs, targets in val_loader:
                total += loss_fn(model(inputs), targets).item() * len(inputs)
                count += len(inputs)
        val_loss = total / count
        val_losses.append(val_loss)
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best_state = copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return train_losses, val_losses, best_epoch
