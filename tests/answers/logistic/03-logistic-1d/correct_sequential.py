# expect: passed
"""Another correct answer: the layers in nn.Sequential, functional BCE."""

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
        out.append(loss.item())
    return out


def threshold(model):
    layer = model.net[0]
    return -(layer.bias / layer.weight).item()
