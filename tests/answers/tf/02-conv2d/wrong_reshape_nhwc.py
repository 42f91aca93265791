# expect: failed
# message: reshaping refills the elements in their order, it does not move axes
"""Turns NHWC into NCHW with reshape: right shape, values in the wrong places."""

import numpy as np
import torch
from torch import nn


def nhwc_to_nchw(x):
    return torch.tensor(np.asarray(x), dtype=torch.float32).reshape(x.shape[0], x.shape[3], x.shape[1], x.shape[2])


def nchw_to_nhwc(y):
    return y.detach().cpu().permute(0, 2, 3, 1).numpy()


def conv2d_from_keras(kernel, bias, padding):
    kh, kw, c_in, c_out = kernel.shape
    pad = (kh // 2, kw // 2) if padding == "same" else 0
    conv = nn.Conv2d(c_in, c_out, (kh, kw), padding=pad)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(np.asarray(kernel), dtype=torch.float32).permute(3, 2, 0, 1))
        conv.bias.copy_(torch.tensor(np.asarray(bias), dtype=torch.float32))
    return conv


def dense_after_flatten(kernel, bias, height, width, channels):
    units = kernel.shape[1]
    # Keras rows are in (h, w, c) order; torch's flatten of NCHW is in (c, h, w) order.
    rows = np.asarray(kernel).reshape(height, width, channels, units).transpose(2, 0, 1, 3).reshape(-1, units)
    layer = nn.Linear(rows.shape[0], units)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(rows.T, dtype=torch.float32))
        layer.bias.copy_(torch.tensor(np.asarray(bias), dtype=torch.float32))
    return layer
