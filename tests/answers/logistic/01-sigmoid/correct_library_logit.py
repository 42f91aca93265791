# expect: passed
"""Another correct answer: the sigmoid written with exp (in its stable form for negative u),
and torch.logit for the inverse, which the stub does not forbid."""

import torch


def sigmoid(u):
    e = torch.exp(-u.abs())
    return torch.where(u >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(u):
    s = sigmoid(u)
    return s * (1 - s)


def logit(p):
    return torch.logit(p)
