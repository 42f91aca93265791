# expect: failed
# message: uses PyTorch's own `conv2d`
"""Calls F.conv2d and F.max_pool2d instead of computing by hand."""

import torch.nn.functional as F


def cross_correlate(x, kernel, stride=1, padding=0):
    return F.conv2d(x[None, None], kernel[None, None], stride=stride, padding=padding)[0, 0]


def max_pool(x, size):
    return F.max_pool2d(x[None, None], size)[0, 0]
