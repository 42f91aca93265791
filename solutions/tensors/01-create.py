"""Reference solution for exercise 1.1 (create and inspect tensors)."""

import torch


def make_float_tensor(values):
    return torch.tensor(values, dtype=torch.float32)


def describe(t):
    return tuple(t.shape), t.ndim, t.dtype, t.numel()


def grid(rows, cols):
    return torch.arange(rows * cols).reshape(rows, cols).float()
