# expect: failed
# message: do not assign the result
"""Calls x.to(device) without keeping the result: x stays where it was."""

from torch import nn


def train_epoch(model, optimizer, loader, device):
    model.to(device)
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x.to(device)
        y = y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses
