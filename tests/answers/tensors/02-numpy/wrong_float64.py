# expect: failed
# message: NumPy arrays are float64 by default
"""Keeps NumPy's float64: torch.from_numpy does not change the dtype."""

import torch


def to_tensor(arr):
    return torch.from_numpy(arr)


def to_numpy(t):
    return t.detach().numpy()


def shared_tensor(arr):
    return torch.from_numpy(arr)
