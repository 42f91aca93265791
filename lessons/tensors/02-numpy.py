"""演習 1.2 NumPy との行き来 / Exercise 1.2: round trips with NumPy

次の 3 つの関数を書いてください。
Write three small functions.

to_tensor(arr) -> torch.Tensor
    NumPy 配列 (float64 や整数、形は自由) から、同じ値と形の float32 テンソルを作って返します。
    arr: a NumPy array (float64 or integers, any shape).
    Return a float32 tensor with the same values and shape.

to_numpy(t) -> numpy.ndarray
    t は勾配を追跡している (requires_grad=True の) かもしれない float32 テンソルです。
    同じ値・形・dtype (float32) の NumPy 配列を返してください。
    `t` 自体は変えないこと (呼んだあとも requires_grad=True のままにします)。
    t: a float32 tensor that may require grad (requires_grad=True).
    Return a NumPy array with the same values, shape and dtype (float32).
    Do not change `t` itself: it must still require grad afterwards.

shared_tensor(arr) -> torch.Tensor
    `arr` とメモリを共有するテンソルを返します。あとで arr をその場で書き換えると
    (arr[0] += 1 など)、テンソルの値も変わります。dtype は arr のままにします。
    Return a tensor that SHARES MEMORY with `arr`: when arr is changed in place
    afterwards (arr[0] += 1), the tensor shows the change. Keep arr's dtype.

Check it with: dltutor check 1.2
"""

import numpy as np
import torch


def to_tensor(arr):
    # TODO: a float32 tensor with the values of `arr`
    raise NotImplementedError


def to_numpy(t):
    # TODO: a NumPy array with the values of `t` (t may require grad)
    raise NotImplementedError


def shared_tensor(arr):
    # TODO: a tensor that shares memory with `arr`
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-numpy.py
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    print(a.dtype)            # float64: NumPy's default
    print(to_tensor(a))
    w = torch.ones(2, 3, requires_grad=True)
    print(to_numpy(w))
