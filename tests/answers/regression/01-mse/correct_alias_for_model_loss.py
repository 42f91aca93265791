# expect: passed
"""Another correct answer: F.mse_loss bound at import and used where the library is asked
for (model_loss), the hand computation with torch.mean in mse."""

import torch
from torch.nn.functional import mse_loss


def mse(pred, target):
    return torch.mean((pred - target) ** 2)


def model_loss(model, x, y):
    return mse_loss(model(x).squeeze(1), y)
