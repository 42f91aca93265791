# expect: failed
# message: the sigmoid is applied twice
"""Uses BCEWithLogitsLoss, 'the safe one', on a model that already ends in a sigmoid."""

import torch
from torch import nn


class LabMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(2, 15)
        self.l2 = nn.Linear(15, 1)

    def forward(self, x):
        return torch.sigmoid(self.l2(torch.relu(self.l1(x))))


def train(model, X, y):
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    losses = []
    for epoch in range(500):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
