# expect: passed
"""Another correct answer: from_numpy + .float(), np.asarray on a detached clone, as_tensor."""

import numpy as np
import torch


def to_tensor(arr):
    return torch.from_numpy(np.ascontiguousarray(arr)).float()


def to_numpy(t):
    with torch.no_grad():
        plain = t.clone()
    return np.asarray(plain)


def shared_tensor(arr):
    return torch.as_tensor(arr)
