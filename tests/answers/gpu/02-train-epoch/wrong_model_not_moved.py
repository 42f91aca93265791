# expect: failed
# message: The model is still on the CPU while the mini-batch is on
"""Moves the batches but forgets the model."""

from torch import nn


def train_epoch(model, optimizer, loader, device):
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses
