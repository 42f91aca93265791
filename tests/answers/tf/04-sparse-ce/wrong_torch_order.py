# expect: failed
# message: the arguments are swapped. Keras losses take (y_true, y_pred)
"""Writes the loss with torch's argument order (predictions first)."""

import torch


def sparse_categorical_crossentropy(y_pred, y_true, from_logits=False):
    labels = y_true.reshape(-1).long()
    log_p = torch.log_softmax(y_pred, dim=-1) if from_logits else torch.log(y_pred.clamp(1e-7, 1 - 1e-7))
    return -log_p.gather(1, labels.view(-1, 1)).mean()
