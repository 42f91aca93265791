# expect: failed
# message: switched off `requires_grad` on the tensor it was given
"""Turns off requires_grad on the caller's tensor instead of detaching."""

import torch


def to_tensor(arr):
    return torch.tensor(arr, dtype=torch.float32)


def to_numpy(t):
    t.requires_grad_(False)
    return t.numpy()


def shared_tensor(arr):
    return torch.from_numpy(arr)
