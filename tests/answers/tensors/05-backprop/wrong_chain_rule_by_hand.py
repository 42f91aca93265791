# expect: failed
# message: never calls `backward()`
"""The chain rule written out by hand, as in the manual: right numbers, but the stub asks for
the gradients from autograd (backward)."""

import torch


def backprop(x, W0, W1, target):
    z = W0 @ x                         # (h,)
    y_hat = (W1 @ z)[0]
    err = y_hat - target
    dy = 2 * err                       # dL/dy_hat
    dW1 = dy * z.unsqueeze(0)          # (1, h)
    dz = dy * W1[0]                    # (h,)
    dW0 = dz.unsqueeze(1) * x.unsqueeze(0)
    dx = W0.t() @ dz
    return {"loss": float(err ** 2), "dW0": dW0, "dW1": dW1, "dz": dz, "dx": dx}
