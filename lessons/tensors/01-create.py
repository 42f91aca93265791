"""演習 1.1 テンソルを作って調べる / Exercise 1.1: create and inspect tensors

次の 3 つの関数を書いてください。
Write three small functions.

make_float_tensor(values) -> torch.Tensor
    数値の (入れ子の) リストか NumPy 配列から、同じ値と形の float32 テンソルを作って返します。
    values: a (nested) list of numbers or a NumPy array.
    Return a float32 tensor with the same values and shape.

describe(t) -> tuple
    (形を int のタプルで, 次元数, dtype, 要素数) を返します。
    Return (shape as a tuple of ints, ndim, dtype, number of elements).

grid(rows, cols) -> torch.Tensor
    0, 1, 2, ... を行ごとに並べた形 (rows, cols) の float32 テンソルを返します。
    Return a float32 tensor of shape (rows, cols) holding 0, 1, 2, ... row by row.

Check it with: dltutor check 1.1
"""

import torch


def make_float_tensor(values):
    # TODO: create a float32 tensor from `values`
    raise NotImplementedError


def describe(t):
    # TODO: return (shape tuple, ndim, dtype, numel)
    raise NotImplementedError


def grid(rows, cols):
    # TODO: values 0 .. rows*cols-1 in a (rows, cols) float32 tensor
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-create.py
    print(make_float_tensor([[1, 2], [3, 4]]))
