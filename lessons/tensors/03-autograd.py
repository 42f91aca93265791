"""演習 1.3 自動微分で勾配を求める / Exercise 1.3: gradients with autograd

次の 2 つの関数を書いてください。
Write two functions.

make_leaf(values) -> torch.Tensor
    values は整数の (入れ子の) リストです。この値をもち、勾配を追跡する
    float32 の葉テンソル (requires_grad=True で grad_fn が None) を返します。
    values: a (nested) list of INTEGERS, e.g. [[1, 2], [3, 4]].
    Return a float32 leaf tensor with these values that requires grad
    (requires_grad=True, grad_fn is None).

grads(x1, x2) -> tuple
    x1, x2 は同じ形の float32 の葉テンソル (requires_grad=True) です。
    y = x1**2 + 2*x2、z = sum(y**3) を計算し、誤差逆伝播で勾配を求めて
    (z, x1.grad, x2.grad, y.grad) を返します。z は 1 要素のテンソルでも float でも構いません。
    チェックは同じ x1, x2 で grads を何度か呼びます。どの呼び出しでも、
    その回の計算の勾配だけを返してください。
    x1, x2: float32 leaf tensors of the same shape, with requires_grad=True.
    Compute  y = x1**2 + 2*x2  and  z = sum(y**3),  run backpropagation and return
        (z, dz/dx1, dz/dx2, dz/dy)
    i.e. (z, x1.grad, x2.grad, y.grad). z may be a one-element tensor or a float.
    The checks call grads several times with the SAME x1 and x2: every call must
    return the gradients of that call only.

教材の計算例 / Worked numbers from the lab manual:
    x1 = [[1, 2], [3, 4]],  x2 = [[1, -2], [-3, -4]]
    y = [[3, 0], [3, 8]],  z = 566
    x1.grad = [[54, 0], [162, 1536]],  x2.grad = [[54, 0], [54, 384]],  y.grad = [[27, 0], [27, 192]]

Check it with: dltutor check 1.3
"""

import torch


def make_leaf(values):
    # TODO: a float32 tensor that requires grad, made directly from `values`
    raise NotImplementedError


def grads(x1, x2):
    # TODO: y = x1**2 + 2*x2, z = sum(y**3); backpropagate from z
    # TODO: return (z, x1.grad, x2.grad, y.grad)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-autograd.py
    x1 = make_leaf([[1, 2], [3, 4]])
    x2 = make_leaf([[1, -2], [-3, -4]])
    print(x1.requires_grad, x1.grad_fn)
    print(grads(x1, x2))
