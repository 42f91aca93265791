# expect: failed
# message: uses a library function
"""`mse` calls F.mse_loss under a name bound at import, which a spy that swaps the library
function only while `mse` runs would not see."""

from torch import nn
from torch.nn.functional import mse_loss as squared_error


def mse(pred, target):
    return squared_error(pred, target)


def model_loss(model, x, y):
    return nn.MSELoss()(model(x), y.view(-1, 1))
