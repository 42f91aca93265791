# expect: failed
# message: makes the CPU wait for the GPU at every mini-batch
"""Collects loss.item(): a CPU-GPU synchronisation at every step."""

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
        losses.append(loss.item())
    return losses
