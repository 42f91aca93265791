# expect: passed
"""Another correct answer: the lecture's style, log_softmax at the output and F.nll_loss, a sample-weighted mean."""

import torch
import torch.nn.functional as F
from torch import nn


class LogisticRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(28 * 28, 10)

    def forward(self, x):
        x = x.view(-1, 28 * 28)
        return F.log_softmax(self.l1(x), dim=1)


def train_epoch(model, loader, optimizer):
    model.train()
    total, seen = 0.0, 0
    for data, target in loader:
        output = model(data)
        loss = F.nll_loss(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(target)
        seen += len(target)
    return total / seen
