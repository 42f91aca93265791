# expect: failed
# message: `torch.tensor(arr)` copies the data
"""torch.tensor copies the array, so later changes to it are not seen."""

import torch


def to_tensor(arr):
    return torch.tensor(arr, dtype=torch.float32)


def to_numpy(t):
    return t.detach().numpy()


def shared_tensor(arr):
    return torch.tensor(arr)
