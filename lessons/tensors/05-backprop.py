"""演習 1.5 誤差逆伝播法の計算例を自動微分で再現する / Exercise 1.5: the backprop worked example with autograd

バイアスも活性化関数もない小さなネットワークです。
A tiny network with no bias and no activation function:

    z     = W0 @ x                   (中間層 / hidden layer)
    y_hat = W1 @ z                   (出力 / output, shape (1,))
    L     = (y_hat - target) ** 2    (二乗誤差、1/2 は付けない / squared error, no 1/2)

次の関数を書いてください。
Write one function.

backprop(x, W0, W1, target) -> dict
    x: float32 tensor (n,);  W0: float32 tensor (h, n);  W1: float32 tensor (1, h);
    target: a float. The tensors do not require grad when you get them.
    次のキーをもつ辞書を返します / Return a dict with these keys:
        "loss": L (a float or a one-element tensor)
        "dW0":  dL/dW0, shape (h, n)
        "dW1":  dL/dW1, shape (1, h)
        "dz":   dL/dz,  shape (h,)
        "dx":   dL/dx,  shape (n,)
    勾配は自動微分 (backward) で求めてください。チェックは同じテンソルで
    backprop をもう一度呼ぶことがあります。その回の勾配だけを返してください。
    Get the gradients with autograd (backward). The checks may call backprop
    again with the same tensors: return the gradients of that call only.

教材の計算例 / The lab manual's example:
    x = (1, 2, 3),  W0 = [[3, 1, 2], [-2, -3, -1]],  W1 = [[3, 2]],  target = 10
    z = (11, -11),  y_hat = 11,  L = 1,  dL/dy_hat = 2
    dW1 = [[22, -22]],  dz = (6, 4),  dW0 = [[6, 12, 18], [4, 8, 12]],  dx = (10, -6, 8)

Check it with: dltutor check 1.5
"""

import torch


def backprop(x, W0, W1, target):
    # TODO: leaves that require grad for x, W0, W1 (fresh ones, so nothing accumulates)
    # TODO: forward: z, y_hat, L  (keep the gradient of z with retain_grad)
    # TODO: L.backward(), then return the dict
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-backprop.py
    x = torch.tensor([1.0, 2.0, 3.0])
    W0 = torch.tensor([[3.0, 1.0, 2.0], [-2.0, -3.0, -1.0]])
    W1 = torch.tensor([[3.0, 2.0]])
    for key, value in backprop(x, W0, W1, 10.0).items():
        print(key, value)
