# expect: failed
# message: the model passed in never runs a forward pass
"""Trains a deep copy of the model, so the model passed in stays as it was."""

import copy

import torch
from torch import nn


class LabMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(2, 15)
        self.l2 = nn.Linear(15, 1)
        self.relu = nn.ReLU()
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        z = self.relu(self.l1(x))
        return self.sigmoid(self.l2(z))


def train(model, X, y):
    model = copy.deepcopy(model)
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    losses = []
    for epoch in range(500):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
