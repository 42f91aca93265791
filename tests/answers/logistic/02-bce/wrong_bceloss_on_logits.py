# expect: failed
# message: takes probabilities between 0 and 1, but u holds logits
"""bce_logits with nn.BCELoss on the logits themselves."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCELoss()(u, labels.float())
