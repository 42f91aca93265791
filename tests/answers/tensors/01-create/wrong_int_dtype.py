# expect: failed
# message: A tensor built from integers only is an integer tensor
"""Forgets dtype=torch.float32: a list of ints becomes an int64 tensor."""

import torch


def make_float_tensor(values):
    return torch.tensor(values)


def describe(t):
    return tuple(t.shape), t.ndim, t.dtype, t.numel()


def grid(rows, cols):
    return torch.arange(rows * cols).reshape(rows, cols).float()
