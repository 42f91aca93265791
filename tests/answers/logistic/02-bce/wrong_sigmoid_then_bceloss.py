# expect: failed
# message: this is not numerically safe
"""Uses a sigmoid followed by nn.BCELoss instead of nn.BCEWithLogitsLoss."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCELoss()(torch.sigmoid(u), labels.float())
