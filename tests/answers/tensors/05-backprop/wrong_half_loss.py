# expect: failed
# message: Your loss is (y_hat - target)^2 / 2
"""Uses the lecture's 1/2 * squared error instead of the exercise's (y_hat - target)^2."""

import torch


def backprop(x, W0, W1, target):
    x = x.clone().requires_grad_(True)
    W0 = W0.clone().requires_grad_(True)
    W1 = W1.clone().requires_grad_(True)
    z = W0 @ x
    z.retain_grad()
    y_hat = W1 @ z
    loss = 0.5 * ((y_hat - target) ** 2).sum()
    loss.backward()
    return {"loss": loss.item(), "dW0": W0.grad, "dW1": W1.grad, "dz": z.grad, "dx": x.grad}
