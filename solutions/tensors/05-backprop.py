"""Reference solution for exercise 1.5 (the backprop worked example with autograd)."""

import torch


def backprop(x, W0, W1, target):
    x = x.detach().clone().requires_grad_(True)
    W0 = W0.detach().clone().requires_grad_(True)
    W1 = W1.detach().clone().requires_grad_(True)
    z = W0 @ x
    z.retain_grad()
    y_hat = W1 @ z
    loss = ((y_hat - target) ** 2).sum()
    loss.backward()
    return {"loss": loss.item(), "dW0": W0.grad, "dW1": W1.grad, "dz": z.grad, "dx": x.grad}
