"""Reference solution for exercise 1.2 (round trips with NumPy)."""

import torch


def to_tensor(arr):
    return torch.tensor(arr, dtype=torch.float32)


def to_numpy(t):
    return t.detach().cpu().numpy()


def shared_tensor(arr):
    return torch.from_numpy(arr)
