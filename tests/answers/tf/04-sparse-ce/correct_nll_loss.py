# expect: passed
"""Another correct answer: F.cross_entropy for logits, nll_loss on clipped log-probabilities."""

import torch
import torch.nn.functional as F


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_true = y_true.view(-1)
    if from_logits:
        return F.cross_entropy(y_pred, y_true)
    return F.nll_loss(torch.clamp(y_pred, min=1e-7, max=1 - 1e-7).log(), y_true, reduction="mean")
