# expect: failed
# message: uses a library function
"""softmax through F.softmax bound at import under another name."""

import torch
from torch.nn.functional import softmax as normalized_exp
import torch.nn.functional as F


def softmax(z):
    return normalized_exp(z, dim=1)


def cross_entropy(z, y):
    m = z.max(dim=1, keepdim=True).values
    logp = z - m - torch.log(torch.exp(z - m).sum(dim=1, keepdim=True))
    return -logp[torch.arange(len(y)), y].mean()


def cross_entropy_via_nll(z, y):
    return F.nll_loss(F.log_softmax(z, dim=1), y)
