# expect: passed
"""Another correct answer: torch.autograd.grad with z as an input, matmul via mv/dot."""

import torch


def backprop(x, W0, W1, target):
    leaves = [t.detach().requires_grad_() for t in (x, W0, W1)]
    xx, w0, w1 = leaves
    z = torch.mv(w0, xx)
    y_hat = torch.dot(w1[0], z)
    loss = (target - y_hat) ** 2
    dz, dx, dW0, dW1 = torch.autograd.grad(loss, [z, xx, w0, w1])
    return dict(loss=loss, dW0=dW0, dW1=dW1, dz=dz, dx=dx)
