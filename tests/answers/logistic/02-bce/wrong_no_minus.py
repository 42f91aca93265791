# expect: failed
# message: the right value with the wrong sign
"""Forgets the leading minus."""

import torch
import torch.nn as nn


def bce(p, y):
    return (y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
