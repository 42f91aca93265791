# expect: failed
# message: the L1 loss
"""model_loss with nn.L1Loss instead of nn.MSELoss."""

from torch import nn


def mse(pred, target):
    return ((target - pred) ** 2).mean()


def model_loss(model, x, y):
    return nn.L1Loss()(model(x), y.view(-1, 1))
