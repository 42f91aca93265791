# expect: failed
# message: you summed the squared errors but did not divide by N
"""Adds up the squared errors and forgets the 1/N."""

import torch
from torch import nn


def mse(pred, target):
    return ((target - pred) ** 2).sum()


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y.view(-1, 1))
