# expect: failed
# message: trains with the learning rate lr=0.001: use lr=0.1
"""A learning rate far too small: after 300 epochs the line is still far off."""

import torch
from torch import nn


def fit_line(x, y):
    inputs = torch.tensor(x, dtype=torch.float32).view(-1, 1)
    targets = torch.tensor(y, dtype=torch.float32).view(-1, 1)
    model = nn.Linear(1, 1)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
    losses = []
    for epoch in range(300):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses
