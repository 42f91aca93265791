# expect: failed
# message: broadcasting averages all (N,N) pairs
"""Keeps the targets of shape (N,) while the model's output is (N,1)."""

import torch
from torch import nn


def fit_line(x, y):
    inputs = torch.tensor(x, dtype=torch.float32).view(-1, 1)
    targets = torch.tensor(y, dtype=torch.float32)
    model = nn.Linear(1, 1)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for epoch in range(300):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
