# expect: failed
# message: does not use the optimizer it was given
"""Makes its own optimizer instead of using the one passed in."""

import torch
from torch import nn


def train_epoch(model, optimizer, loader, device):
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x = x.to(device)
        y = y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses
