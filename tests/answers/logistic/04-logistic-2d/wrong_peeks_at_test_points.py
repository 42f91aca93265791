# expect: failed
# message: never calls `backward()`
"""Looks for the checks' test points on the callers' stack and would fit those; finding none,
it returns the model untrained."""

import sys

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


def _test_points():
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in frame.f_locals.items():
            if name in ("x_test", "labels_test"):
                return frame.f_locals.get("x_test"), frame.f_locals.get("labels_test")
        frame = frame.f_back
    return None


def fit_2d(x, labels):
    model = LogisticRegression2()
    found = _test_points()
    if found is None:
        return model
    x, labels = found
    y = labels.float().view(-1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    loss_fn = nn.BCELoss()
    for _ in range(500):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return model
