# expect: failed
# message: `.grad` accumulates over `backward()` calls
"""Never clears x1.grad / x2.grad, so the second call adds to the first."""

import torch


def make_leaf(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grads(x1, x2):
    y = x1 ** 2 + 2 * x2
    y.retain_grad()
    z = (y ** 3).sum()
    z.backward()
    return z, x1.grad, x2.grad, y.grad
