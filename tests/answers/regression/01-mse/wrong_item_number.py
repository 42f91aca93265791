# expect: failed
# message: returns a Python number (from `item()`?)
"""Turns the loss into a Python float, so nothing can backpropagate through it."""

import torch
from torch import nn


def mse(pred, target):
    return ((target - pred) ** 2).mean().item()


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y.view(-1, 1))
