# expect: failed
# message: is "cuda" hard-coded?
"""Writes "cuda" instead of using `device`."""

from torch import nn


def train_epoch(model, optimizer, loader, device):
    model.cuda()
    loss_fn = nn.MSELoss()
    losses = []
    for x, y in loader:
        x, y = x.to("cuda"), y.to("cuda")
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses
