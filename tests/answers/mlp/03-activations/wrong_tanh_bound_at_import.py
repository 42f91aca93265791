# expect: failed
# message: uses a library function
"""tanh through torch.tanh bound at import under another name, which the spies that
swap torch.tanh while the function runs do not see."""

import torch
from torch import tanh as hyperbolic


def sigmoid(u):
    return 1 / (1 + torch.exp(-u))


def tanh(u):
    return hyperbolic(u)


def relu(u):
    return torch.clamp(u, min=0)
