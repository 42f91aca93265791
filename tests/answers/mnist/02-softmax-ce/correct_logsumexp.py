# expect: passed
"""Another correct answer: logsumexp for both, gather for the true class, the nn.Module forms for the nll route."""

import torch
from torch import nn


def softmax(z):
    return torch.exp(z - torch.logsumexp(z, dim=1, keepdim=True))


def cross_entropy(z, y):
    logp = z - torch.logsumexp(z, dim=1, keepdim=True)
    picked = logp.gather(1, y.view(-1, 1))
    return -(picked.sum() / z.shape[0])


def cross_entropy_via_nll(z, y):
    return nn.NLLLoss()(nn.LogSoftmax(dim=1)(z), y)
