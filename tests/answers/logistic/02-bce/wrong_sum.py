# expect: failed
# message: take the mean, not the sum
"""Sums instead of averaging."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
