# expect: failed
# message: has the arguments swapped
"""Passes the labels as the input of nn.BCELoss and p as the target."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(labels.float(), p)


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
