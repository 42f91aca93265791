# expect: failed
# message: ignores `from_logits=True` and treats the logits as probabilities
"""Always takes the log of y_pred as if it held probabilities."""

import torch


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    log_p = torch.log(y_pred.clamp(1e-7, 1 - 1e-7))
    return -log_p.gather(1, y_true.reshape(-1, 1)).mean()
