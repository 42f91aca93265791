# expect: failed
# message: the sigmoid is applied twice
"""Puts a sigmoid on the logits before nn.BCEWithLogitsLoss, which applies one itself."""

import torch
import torch.nn as nn


class LogitModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(2, 1)

    def forward(self, x):
        return self.layer(x)


def fit_logits(x, labels):
    model = LogitModel()
    y = labels.float().view(-1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(300):
        optimizer.zero_grad()
        loss = loss_fn(torch.sigmoid(model(x)), y)
        loss.backward()
        optimizer.step()
    return model


def predict_proba(model, x):
    with torch.no_grad():
        return torch.sigmoid(model(x))


def predict(model, x):
    with torch.no_grad():
        return (model(x) > 0).long().view(-1)
