# expect: failed
# message: is a tensor, not a number: turn it into a Python float with `.item()`
"""Keeps the losses as (detached) tensors where the stub asks for a list of floats."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class LogisticRegression1(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


def train(model, x, labels, epochs, lr):
    target = labels.float().reshape(x.shape[0], 1)
    opt = torch.optim.SGD(model.parameters(), lr)
    out = []
    for _ in range(epochs):
        opt.zero_grad(set_to_none=True)
        loss = F.binary_cross_entropy(model(x), target)
        loss.backward()
        opt.step()
        out.append(loss.detach())
    return out


def threshold(model):
    layer = model.net[0]
    return -(layer.bias / layer.weight).item()
