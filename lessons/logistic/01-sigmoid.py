"""演習 3.1 シグモイド関数とその微分 / Exercise 3.1: the sigmoid and its derivative

シグモイド関数 / The sigmoid:   σ(u) = 1 / (1 + exp(-u))

次の 3 つの関数を書いてください。入力はどれも任意の形の float32 テンソルで、
出力は同じ形の float32 テンソルです。
Write three functions. Every input is a float32 tensor of any shape; every
output is a float32 tensor of the same shape.

sigmoid(u) -> torch.Tensor
    σ(u) を要素ごとに計算します。`torch.sigmoid` ではなく `torch.exp` を使って
    式どおりに書いてください。値はどれも 0 と 1 の間に入り、σ(0) = 0.5 です。
    σ(u) element by element, written with `torch.exp` (not `torch.sigmoid`).
    Every value lies between 0 and 1, and σ(0) = 0.5.
    Example: sigmoid(tensor([0., 2.])) -> tensor([0.5000, 0.8808])

sigmoid_grad(u) -> torch.Tensor
    微分 σ'(u) = σ(u) (1 - σ(u)) です。最大値は u = 0 のときの 0.25 です。
    The derivative σ'(u) = σ(u) (1 - σ(u)). Its largest value is 0.25, at u = 0.

logit(p) -> torch.Tensor
    シグモイド関数の逆関数です。0 < p < 1 に対して σ(u) = p となる u を返します。
    The inverse of the sigmoid: the u with σ(u) = p, for 0 < p < 1.
    Example: logit(tensor([0.5])) -> tensor([0.])

Check it with: dltutor check 3.1
"""

import torch


def sigmoid(u):
    # TODO: 1 / (1 + exp(-u)), element by element
    raise NotImplementedError


def sigmoid_grad(u):
    # TODO: σ(u) (1 - σ(u)), using your sigmoid
    raise NotImplementedError


def logit(p):
    # TODO: solve p = 1 / (1 + exp(-u)) for u
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-sigmoid.py
    u = torch.tensor([-40.0, -2.0, 0.0, 2.0, 40.0])
    print(sigmoid(u))
    print(sigmoid_grad(u))
    print(logit(torch.tensor([0.1, 0.5, 0.9])))
