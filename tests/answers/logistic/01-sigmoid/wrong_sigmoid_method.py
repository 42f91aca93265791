# expect: failed
# message: SigmoidBackward0 in the autograd graph
"""sigmoid through the in-place tensor method, which no spy on torch.sigmoid or
Tensor.sigmoid sees: only the autograd graph shows it."""

import torch


def sigmoid(u):
    return u.clone().sigmoid_()


def sigmoid_grad(u):
    s = sigmoid(u)
    return s * (1 - s)


def logit(p):
    return torch.log(p / (1 - p))
