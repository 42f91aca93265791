# expect: failed
# message: Changing the dtype makes a copy
"""Shares memory first, then .float() makes a float32 copy."""

import torch


def to_tensor(arr):
    return torch.tensor(arr, dtype=torch.float32)


def to_numpy(t):
    return t.detach().numpy()


def shared_tensor(arr):
    return torch.from_numpy(arr).float()
