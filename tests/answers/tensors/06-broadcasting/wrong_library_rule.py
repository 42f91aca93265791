# expect: failed
# message: write the rule yourself
"""Hands the rule to torch.broadcast_shapes."""

import torch


def broadcast_shape(a, b):
    try:
        return tuple(torch.broadcast_shapes(a, b))
    except RuntimeError as exc:
        raise ValueError(str(exc))
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
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
