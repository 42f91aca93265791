# expect: passed
"""Another correct answer: the rule walked from the right end, unsqueeze and explicit dimensions."""

import torch


def broadcast_shape(a, b):
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        p = a[-i] if i <= len(a) else 1
        q = b[-i] if i <= len(b) else 1
        if p == q or q == 1:
            out.append(p)
        elif p == 1:
            out.append(q)
        else:
            raise ValueError(f"{a} and {b} do not broadcast")
    return tuple(reversed(out))


def residuals(pred, y):
    return y.unsqueeze(1) - pred


def centre_rows(x):
    means = x.sum(dim=1) / x.shape[1]
    return x - means[:, None]


def repeat_rows(v, n):
    return v.unsqueeze(0).expand(n, v.shape[0])


def pairwise_sq_dist(x, y):
    diff = x.unsqueeze(1) - y.unsqueeze(0)
    return (diff * diff).sum(dim=2)
