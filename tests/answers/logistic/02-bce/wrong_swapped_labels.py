# expect: failed
# message: has y and 1 - y swapped
"""Pairs y with log(1 - p)."""

import torch
import torch.nn as nn


def bce(p, y):
    return -((1 - y) * torch.log(p) + y * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
