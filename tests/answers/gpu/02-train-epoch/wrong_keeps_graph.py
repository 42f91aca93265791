# expect: failed
# message: still attached to their graphs
"""Keeps the loss tensors with their graphs (and every batch's activations)."""

from torch import nn


def train_epoch(model, optimizer, loader, device):
    model.to(device)
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss)
    return losses
