# expect: failed
# message: up from the right
"""Pads the shorter shape on the right: lines the shapes up from the left."""

import torch


def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a = tuple(a) + (1,) * (n - len(a))
    b = tuple(b) + (1,) * (n - len(b))
    out = []
    for p, q in zip(a, b):
        if p != q and p != 1 and q != 1:
            raise ValueError(f"sizes {p} and {q} cannot be broadcast")
        out.append(q if p == 1 else p)
    return tuple(out)


def residuals(pred, y):
    return y.view(-1, 1) - pred


def centre_rows(x):
    return x - x.mean(dim=1, keepdim=True)


def repeat_rows(v, n):
    return v.expand(n, -1)


def pairwise_sq_dist(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(dim=-1)
