# expect: failed
# message: runs the model with gradients on
"""predict computes with autograd on (to_numpy detaches, so the values are right)."""

import torch


def to_numpy(t):
    return t.detach().cpu().numpy()


def predict(model, x):
    out = model(x)
    return to_numpy(out)
