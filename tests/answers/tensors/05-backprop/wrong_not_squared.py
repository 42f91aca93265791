# expect: failed
# message: square the difference
"""Forgets to square the error: L = y_hat - target."""

import torch


def backprop(x, W0, W1, target):
    x = x.clone().requires_grad_(True)
    W0 = W0.clone().requires_grad_(True)
    W1 = W1.clone().requires_grad_(True)
    z = W0 @ x
    z.retain_grad()
    y_hat = W1 @ z
    loss = (y_hat - target).sum()
    loss.backward()
    return {"loss": loss.item(), "dW0": W0.grad, "dW1": W1.grad, "dz": z.grad, "dx": x.grad}
