# expect: passed
"""Another correct answer: nn.Sequential, functional loss with Adam, predict through predict_proba."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class LogitModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 1))

    def forward(self, x):
        return self.net(x)


def fit_logits(x, labels):
    model = LogitModel()
    target = labels.to(torch.float32).unsqueeze(-1)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(200):
        loss = F.binary_cross_entropy_with_logits(model(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def predict_proba(model, x):
    return model(x).sigmoid().detach()


def predict(model, x):
    return (predict_proba(model, x) > 0.5).to(torch.int64).squeeze(1)
