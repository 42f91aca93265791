# expect: failed
# message: window i starts at i*stride
"""The output size divides by the stride, but the windows move one step at a time."""

import torch


def cross_correlate(x, kernel, stride=1, padding=0):
    h, w = x.shape
    kh, kw = kernel.shape
    padded = torch.zeros(h + 2 * padding, w + 2 * padding, dtype=x.dtype)
    padded[padding:padding + h, padding:padding + w] = x
    oh = (h - kh + 2 * padding) // stride + 1
    ow = (w - kw + 2 * padding) // stride + 1
    out = torch.zeros(oh, ow, dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            window = padded[i:i + kh, j:j + kw]
            out[i, j] = (window * kernel).sum()
    return out


def max_pool(x, size):
    h, w = x.shape
    oh, ow = h // size, w // size
    out = torch.zeros(oh, ow, dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()
    return out
