# expect: failed
# message: with the sigmoid applied twice
"""Applies the sigmoid before nn.BCEWithLogitsLoss."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(torch.sigmoid(u), labels.float())
