"""演習 4.1 2 つの線形層は 1 つのアフィン変換 / Exercise 4.1: two linear layers are one affine map

nn.Linear(n_in, n_out) は y = W x + b を計算します。重み W の形は (n_out, n_in)、
バイアス b の形は (n_out,) です。形 (N, n_in) のバッチ x なら x @ W.T + b になります。
nn.Linear(n_in, n_out) computes y = W x + b with weight W of shape (n_out, n_in)
and bias b of shape (n_out,). For a batch x of shape (N, n_in) that is x @ W.T + b.

次の 3 つの関数を書いてください。
Write three functions.

collapse(layer1, layer2) -> (W, b)
    layer1 = nn.Linear(n, h)、layer2 = nn.Linear(h, m) で、間に活性化関数はありません。
    どんな x に対しても layer2(layer1(x)) == x @ W.T + b となる 1 つのアフィン変換の
    重み W (形 (m, n)) とバイアス b (形 (m,)) を、2 つの層の weight と bias から
    計算して返します。層はチェックのたびにランダムに作り直されます。
    layer1 = nn.Linear(n, h), layer2 = nn.Linear(h, m), with no activation between them.
    Return the weight W (shape (m, n)) and bias b (shape (m,)) of ONE affine map with
    layer2(layer1(x)) == x @ W.T + b for every x. Compute them from the layers'
    weight and bias (float32 tensors); the checks draw new layers on every run.

fold_bias(W, b) -> W_aug
    shape (m, n + 1).  W の最後の列の後ろに b を付け加えた形 (m, n + 1) の行列を返します。
    W: float32 (m, n), b: float32 (m,). Return W with b appended as its LAST column,

append_one(x) -> x_aug
    x は 1 行が 1 サンプルの形 (N, n) のテンソルです。各行の最後に 1 を付け加えた
    形 (N, n + 1) のテンソルを返します。すると x_aug @ fold_bias(W, b).T == x @ W.T + b です。
    x: float32 (N, n), one sample per row. Return x with a column of ones appended
    at the END, shape (N, n + 1). Then x_aug @ fold_bias(W, b).T == x @ W.T + b.

受け取ったテンソルは書き換えないでください。
Do not change the tensors you are given.

Check it with: dltutor check 4.1
"""

import torch
from torch import nn


def collapse(layer1, layer2):
    # TODO: read W1, b1 from layer1 and W2, b2 from layer2 (`.weight`, `.bias`)
    # TODO: write layer2(layer1(x)) = W2 (W1 x + b1) + b2 as W x + b
    raise NotImplementedError


def fold_bias(W, b):
    # TODO: b becomes one more column, the last one
    raise NotImplementedError


def append_one(x):
    # TODO: one more column of ones, the last one
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-collapse.py
    torch.manual_seed(0)
    layer1, layer2 = nn.Linear(3, 4), nn.Linear(4, 2)
    W, b = collapse(layer1, layer2)
    x = torch.randn(5, 3)
    print(layer2(layer1(x)))
    print(x @ W.T + b)
    print(append_one(x) @ fold_bias(W, b).T)
