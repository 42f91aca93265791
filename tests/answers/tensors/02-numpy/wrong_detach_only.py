# expect: failed
# message: `.detach()` alone does not make a NumPy array
"""Detaches but forgets the conversion to NumPy."""

import torch


def to_tensor(arr):
    return torch.tensor(arr, dtype=torch.float32)


def to_numpy(t):
    return t.detach()


def shared_tensor(arr):
    return torch.from_numpy(arr)
