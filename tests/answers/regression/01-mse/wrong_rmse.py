# expect: failed
# message: the square root of the mean squared error
"""Takes the square root at the end (the RMSE)."""

import torch
from torch import nn


def mse(pred, target):
    return torch.sqrt(((target - pred) ** 2).mean())


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y.view(-1, 1))
