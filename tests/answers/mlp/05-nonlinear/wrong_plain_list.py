# expect: failed
# message: are kept in a plain Python list
"""Keeps the layers in a plain list, so the optimizer gets only what is registered."""

import torch
from torch import nn


class LabMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(2, 15), nn.ReLU(), nn.Linear(15, 1), nn.Sigmoid()]
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x * self.scale


def train(model, X, y):
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
