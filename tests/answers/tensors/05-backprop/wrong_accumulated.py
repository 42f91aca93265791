# expect: failed
# message: `.grad` accumulates over `backward()` calls
"""Turns on requires_grad on the given tensors and never clears their .grad."""

import torch


def backprop(x, W0, W1, target):
    for v in (x, W0, W1):
        v.requires_grad_(True)
    z = W0 @ x
    z.retain_grad()
    y_hat = W1 @ z
    loss = ((y_hat - target) ** 2).sum()
    loss.backward()
    return {"loss": loss.item(), "dW0": W0.grad, "dW1": W1.grad, "dz": z.grad, "dx": x.grad}
