# expect: error
# message: use `.detach().numpy()`
"""Calls .numpy() directly on a tensor that requires grad."""

import torch


def to_tensor(arr):
    return torch.tensor(arr, dtype=torch.float32)


def to_numpy(t):
    return t.numpy()


def shared_tensor(arr):
    return torch.from_numpy(arr)
