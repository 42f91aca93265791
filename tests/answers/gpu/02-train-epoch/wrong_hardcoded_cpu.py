# expect: failed
# message: is "cpu" hard-coded?
"""Writes "cpu" for the batches: right on a laptop, wrong everywhere else."""

from torch import nn


def train_epoch(model, optimizer, loader, device):
    model.to(device)
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x, y = x.to("cpu"), y.to("cpu")
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses
