# expect: failed
# message: The number of elements matches
"""Swaps rows and columns in grid: the shape is (cols, rows)."""

import torch


def make_float_tensor(values):
    return torch.tensor(values, dtype=torch.float32)


def describe(t):
    return tuple(t.shape), t.ndim, t.dtype, t.numel()


def grid(rows, cols):
    return torch.arange(rows * cols, dtype=torch.float32).reshape(cols, rows)
