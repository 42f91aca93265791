# expect: failed
# message: flips the kernel before multiplying
"""The textbook convolution: flips the kernel first."""

import torch


def cross_correlate(x, kernel, stride=1, padding=0):
    kernel = torch.flip(kernel, dims=(0, 1))
    h, w = x.shape
    kh, kw = kernel.shape
    padded = torch.zeros(h + 2 * padding, w + 2 * padding)
    padded[padding:padding + h, padding:padding + w] = x
    oh = (h - kh + 2 * padding) // stride + 1
    ow = (w - kw + 2 * padding) // stride + 1
    out = torch.zeros(oh, ow)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = (padded[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel).sum()
    return out


def max_pool(x, size):
    oh, ow = x.shape[0] // size, x.shape[1] // size
    out = torch.zeros(oh, ow)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()
    return out
