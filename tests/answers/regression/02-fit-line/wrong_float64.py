# expect: error
# message: float64 data meets a float32 model
"""Makes tensors from NumPy's float64 arrays without choosing float32."""

import torch
from torch import nn


def fit_line(x, y):
    inputs = torch.tensor(x).view(-1, 1)
    targets = torch.tensor(y).view(-1, 1)
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
