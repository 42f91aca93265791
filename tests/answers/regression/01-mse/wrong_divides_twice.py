# expect: failed
# message: you divided by N twice
"""Takes the mean, then divides by the number of elements again."""

from torch import nn


def mse(pred, target):
    diff = target - pred
    return (diff ** 2).mean() / diff.numel()


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y.view(-1, 1))
