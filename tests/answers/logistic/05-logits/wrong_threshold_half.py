# expect: failed
# message: compares the logits with 0.5
"""Compares the logits with 0.5 instead of 0."""

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
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return model


def predict_proba(model, x):
    with torch.no_grad():
        return torch.sigmoid(model(x))


def predict(model, x):
    with torch.no_grad():
        return (model(x) > 0.5).long().view(-1)
