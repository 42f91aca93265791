# expect: failed
# message: short of the 95% needed
"""Right model, but far too little training: plain SGD with a small rate for 5 epochs."""

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
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for epoch in range(5):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
