# expect: failed
# message: integer (long) targets
"""Gives nn.BCELoss the int64 labels as they are."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels)


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
