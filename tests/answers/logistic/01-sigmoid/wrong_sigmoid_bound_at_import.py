# expect: failed
# message: uses a library function
"""sigmoid through the library function imported under another name at the top."""

import torch
from torch.special import expit as squash


def sigmoid(u):
    return squash(u)


def sigmoid_grad(u):
    s = sigmoid(u)
    return s * (1 - s)


def logit(p):
    return torch.log(p / (1 - p))
