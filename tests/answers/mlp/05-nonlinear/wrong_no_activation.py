# expect: failed
# message: has no activation (ReLU) between its two fully connected layers
"""Stacks the two layers without a ReLU: logistic regression in disguise."""

import torch
from torch import nn


class LabMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(2, 15)
        self.l2 = nn.Linear(15, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.l2(self.l1(x)))


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
