# expect: passed
"""Another correct answer: F.pad, then sums over kernel offsets; pooling with reshape and amax."""

import torch
import torch.nn.functional as F


def cross_correlate(x, kernel, stride=1, padding=0):
    xp = F.pad(x, (padding, padding, padding, padding))
    kh, kw = kernel.shape
    oh = (xp.shape[0] - kh) // stride + 1
    ow = (xp.shape[1] - kw) // stride + 1
    out = torch.zeros(oh, ow)
    for a in range(kh):          # add kernel[a, b] times the shifted input
        for b in range(kw):
            out += kernel[a, b] * xp[a:a + stride * (oh - 1) + 1:stride, b:b + stride * (ow - 1) + 1:stride]
    return out


def max_pool(x, size):
    oh, ow = x.shape[0] // size, x.shape[1] // size
    blocks = x[:oh * size, :ow * size].reshape(oh, size, ow, size)
    return blocks.amax(dim=(1, 3))
