# expect: failed
# message: The targets y stayed on the CPU
"""Moves the model and x, but the targets y stay on the CPU."""

from torch import nn


def train_epoch(model, optimizer, loader, device):
    model.to(device)
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x = x.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses
