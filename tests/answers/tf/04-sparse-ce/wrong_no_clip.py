# expect: failed
# message: Keras clips the probabilities to [1e-7, 1 - 1e-7] before the log
"""Takes the log of the probabilities without clipping: a probability of 0 gives infinity."""

import torch
import torch.nn.functional as F


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    log_p = F.log_softmax(y_pred, dim=1) if from_logits else torch.log(y_pred)
    return F.nll_loss(log_p, y_true.reshape(-1))
