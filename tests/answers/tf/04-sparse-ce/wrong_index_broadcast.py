# expect: failed
# message: broadcasts into (N, N) pairs
"""Indexes with the labels as they come: (N, 1) labels broadcast to (N, N)."""

import torch


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    p = torch.softmax(y_pred, dim=1) if from_logits else y_pred.clamp(1e-7, 1 - 1e-7)
    return -torch.log(p[torch.arange(len(p)), y_true]).mean()
