# expect: failed
# message: the size without padding
"""Forgets the padding (and the stride is right)."""

import torch


def cross_correlate(x, kernel, stride=1, padding=0):
    h, w = x.shape
    kh, kw = kernel.shape
    oh = (h - kh) // stride + 1
    ow = (w - kw) // stride + 1
    out = torch.zeros(oh, ow)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = (x[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel).sum()
    return out


def max_pool(x, size):
    oh, ow = x.shape[0] // size, x.shape[1] // size
    out = torch.zeros(oh, ow)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()
    return out
