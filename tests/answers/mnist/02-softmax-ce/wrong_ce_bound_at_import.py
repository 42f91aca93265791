# expect: failed
# message: uses a library function
"""cross_entropy through F.cross_entropy bound at import under another name, which the spy
that swaps F.cross_entropy while the function runs does not see."""

import torch
from torch.nn.functional import cross_entropy as mean_negative_log_likelihood
import torch.nn.functional as F


def softmax(z):
    m = z.max(dim=1, keepdim=True).values
    e = torch.exp(z - m)
    return e / e.sum(dim=1, keepdim=True)


def cross_entropy(z, y):
    return mean_negative_log_likelihood(z, y)


def cross_entropy_via_nll(z, y):
    return F.nll_loss(F.log_softmax(z, dim=1), y)
