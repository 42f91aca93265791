# expect: failed
# message: not a number: turn it into a Python float
"""threshold returns a one-element tensor (w and b without .item())."""

import torch
import torch.nn as nn


class LogisticRegression1(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(1, 1)
        self.f = nn.Sigmoid()

    def forward(self, x):
        return self.f(self.layer(x))


def train(model, x, labels, epochs, lr):
    y = labels.float().view(-1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCELoss()
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def threshold(model):
    w = model.layer.weight
    b = model.layer.bias
    return -b / w
