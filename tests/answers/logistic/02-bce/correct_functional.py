# expect: passed
"""Another correct answer: torch.where by hand, functional losses, the stable logit formula written out."""

import torch
import torch.nn.functional as F


def bce(p, y):
    terms = torch.where(y == 1, torch.log(p), torch.log(1 - p))
    return -terms.sum() / p.numel()


def bce_torch(p, labels):
    return F.binary_cross_entropy(p, labels.to(p.dtype))


def bce_logits(u, labels):
    y = labels.to(torch.float32)
    # log(1 + exp(-|u|)) never overflows: max(u, 0) - u y + log(1 + exp(-|u|))
    return (u.clamp(min=0) - u * y + torch.log1p(torch.exp(-u.abs()))).mean()
