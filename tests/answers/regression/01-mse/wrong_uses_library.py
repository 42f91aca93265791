# expect: failed
# message: uses a library function (torch.nn.
"""Calls the library inside the function that should compute the loss by hand."""

import torch
from torch import nn


def mse(pred, target):
    return nn.MSELoss()(pred, target)


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y.view(-1, 1))
