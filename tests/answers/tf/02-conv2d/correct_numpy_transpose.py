# expect: passed
"""Another correct answer: np.transpose before torch, padding="same", flatten order via index arrays."""

import numpy as np
import torch
from torch import nn


def nhwc_to_nchw(x):
    return torch.from_numpy(np.ascontiguousarray(np.transpose(x, (0, 3, 1, 2)), dtype=np.float32))


def nchw_to_nhwc(y):
    return np.transpose(y.detach().to("cpu").numpy(), (0, 2, 3, 1))


def conv2d_from_keras(kernel, bias, padding):
    kernel = np.asarray(kernel, dtype=np.float32)
    conv = nn.Conv2d(kernel.shape[2], kernel.shape[3], kernel.shape[:2], padding="same" if padding == "same" else "valid")
    conv.weight = nn.Parameter(torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))))
    conv.bias = nn.Parameter(torch.tensor(bias, dtype=torch.float32))
    return conv


def dense_after_flatten(kernel, bias, height, width, channels):
    # torch feature index (c, h, w) -> Keras row index (h, w, c)
    c, h, w = np.meshgrid(np.arange(channels), np.arange(height), np.arange(width), indexing="ij")
    keras_rows = ((h * width + w) * channels + c).reshape(-1)
    layer = nn.Linear(len(keras_rows), kernel.shape[1])
    with torch.no_grad():
        layer.weight[:] = torch.tensor(np.asarray(kernel)[keras_rows].T, dtype=torch.float32)
        layer.bias[:] = torch.tensor(bias, dtype=torch.float32)
    return layer
