# expect: failed
# message: you forgot to zero grad
"""Never zeroes the gradients (the line is still found, but the loop is wrong)."""

import torch
import torch.nn as nn


class LogisticRegression2(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(2, 1)
        self.f = nn.Sigmoid()

    def forward(self, x):
        return self.f(self.layer(x))


def boundary(model):
    w1, w2 = model.layer.weight[0].tolist()
    w0 = model.layer.bias.item()
    return -w1 / w2, -w0 / w2


def fit_2d(x, labels):
    model = LogisticRegression2()
    y = labels.float().view(-1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    loss_fn = nn.BCELoss()
    for _ in range(500):
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return model
