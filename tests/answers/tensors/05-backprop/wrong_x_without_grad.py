# expect: failed
# message: x too must be a leaf with `requires_grad=True`
"""Makes only the weights require grad, so x.grad stays None."""

import torch


def backprop(x, W0, W1, target):
    W0 = W0.clone().requires_grad_(True)
    W1 = W1.clone().requires_grad_(True)
    z = W0 @ x
    z.retain_grad()
    y_hat = W1 @ z
    loss = ((y_hat - target) ** 2).sum()
    loss.backward()
    return {"loss": loss.item(), "dW0": W0.grad, "dW1": W1.grad, "dz": z.grad, "dx": x.grad}
