# expect: failed
# message: has dtype int64 but should be float32
"""Leaves torch.arange's int64 result as it is."""

import torch


def make_float_tensor(values):
    return torch.tensor(values, dtype=torch.float32)


def describe(t):
    return tuple(t.shape), t.ndim, t.dtype, t.numel()


def grid(rows, cols):
    return torch.arange(rows * cols).view(rows, cols)
