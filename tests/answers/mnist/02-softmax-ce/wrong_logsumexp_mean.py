# expect: failed
# message: takes the mean of the exponentials where it needs their sum
"""The log-softmax with the mean of the exponentials instead of their sum."""

import torch
import torch.nn.functional as F


def softmax(z):
    m = z.max(dim=1, keepdim=True).values
    e = torch.exp(z - m)
    return e / e.sum(dim=1, keepdim=True)


def cross_entropy(z, y):
    m = z.max(dim=1, keepdim=True).values
    logp = z - m - torch.log(torch.exp(z - m).mean(dim=1, keepdim=True))
    return -logp[torch.arange(len(y)), y].mean()


def cross_entropy_via_nll(z, y):
    return F.nll_loss(F.log_softmax(z, dim=1), y)
