# expect: failed
# message: is the sum over the batch
"""Adds the per-sample losses up instead of averaging them."""

import torch


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    log_p = torch.log_softmax(y_pred, dim=-1) if from_logits else torch.log(y_pred.clamp(1e-7, 1 - 1e-7))
    return -log_p.gather(1, y_true.reshape(-1, 1)).sum()
