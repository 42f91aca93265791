# expect: failed
# message: calls `.numpy()` on a GPU tensor
"""Detaches but never copies to the CPU: fine on a laptop, an error on the GPU server."""

import torch


def to_numpy(t):
    return t.detach().numpy()


def predict(model, x):
    with torch.no_grad():
        return model(x).numpy()
