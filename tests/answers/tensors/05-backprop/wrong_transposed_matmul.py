# expect: error
# message: mat1 and mat2 shapes cannot be multiplied
"""Multiplies in the wrong order (x @ W0): W0 has shape (hidden, inputs)."""

import torch


def backprop(x, W0, W1, target):
    x = x.clone().requires_grad_(True)
    W0 = W0.clone().requires_grad_(True)
    W1 = W1.clone().requires_grad_(True)
    z = x @ W0
    z.retain_grad()
    y_hat = z @ W1
    loss = ((y_hat - target) ** 2).sum()
    loss.backward()
    return {"loss": loss.item(), "dW0": W0.grad, "dW1": W1.grad, "dz": z.grad, "dx": x.grad}
