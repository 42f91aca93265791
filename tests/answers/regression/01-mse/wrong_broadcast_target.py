# expect: failed
# message: broadcasting averages all (N,N) pairs
"""Passes outputs (N,1) and targets (N,) to nn.MSELoss as they are."""

import torch
from torch import nn


def mse(pred, target):
    return ((target - pred) ** 2).mean()


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y)
