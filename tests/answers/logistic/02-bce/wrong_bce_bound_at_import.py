# expect: failed
# message: uses a library function
"""bce through F.binary_cross_entropy imported under another name."""

import torch
import torch.nn as nn
from torch.nn.functional import binary_cross_entropy as cross_entropy_of


def bce(p, y):
    return cross_entropy_of(p, y)


def bce_torch(p, labels):
    return nn.BCELoss()(p, labels.float())


def bce_logits(u, labels):
    return nn.BCEWithLogitsLoss()(u, labels.float())
