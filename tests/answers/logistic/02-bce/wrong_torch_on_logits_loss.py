# expect: failed
# message: treats p as logits
"""bce_torch with nn.BCEWithLogitsLoss on probabilities."""

import torch
import torch.nn as nn


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_torch(p, labels):
    return nn.BCEWithLogitsLoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
