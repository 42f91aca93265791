# expect: passed
"""Another correct answer: torch.square and numel, and the output squeezed to (N,) instead."""

import torch
from torch import nn

loss_fn = nn.MSELoss(reduction="mean")


def mse(pred, target):
    return torch.square(pred - target).sum() / pred.numel()


def model_loss(model, x, y):
    return loss_fn(model(x).squeeze(1), y)
