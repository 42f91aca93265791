# expect: failed
# message: That is the number of dimensions, not of elements
"""Confuses the number of elements with the number of dimensions (len(shape))."""

import torch


def make_float_tensor(values):
    return torch.tensor(values, dtype=torch.float32)


def describe(t):
    return tuple(t.shape), t.ndim, t.dtype, len(t.shape)


def grid(rows, cols):
    return torch.arange(rows * cols).reshape(rows, cols).float()
