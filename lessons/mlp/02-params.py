"""演習 4.2 パラメータの数と重みの形 / Exercise 4.2: counting parameters and weight shapes

MLP は入力から順に並べた各層の大きさで表します。sizes = [2, 15, 1] は
nn.Linear(2, 15) のあとに nn.Linear(15, 1) が続く MLP です (活性化関数にはパラメータがありません)。
An MLP is described by its layer sizes, input first: sizes = [2, 15, 1] means
nn.Linear(2, 15) followed by nn.Linear(15, 1) (the activations have no parameters).

次の 3 つの関数を書いてください。
Write three functions.

param_count(sizes) -> int
    この大きさの MLP のパラメータ (重みとバイアスの数値 1 つ 1 つ) の総数を返します。
    The number of parameters (weights and biases, every number counted) of the MLP
    with these layer sizes. Example: param_count([2, 15, 1]) -> 61

weight_shapes(sizes) -> list
    各 nn.Linear について、順に (重みの形, バイアスの形) の組を整数のタプルで返します。
    For each nn.Linear, in order, the pair (weight shape, bias shape) as tuples of ints.
    Example: weight_shapes([2, 15, 1]) -> [((15, 2), (15,)), ((1, 15), (1,))]

count_parameters(model) -> int
    model は任意の nn.Module です。model.parameters() に含まれる数値の総数を返します。
    チェックは bias=False の層を含むモデルも作って渡します。
    model: any nn.Module. The total number of numbers in model.parameters().
    The checks build models of their own, some of them with bias=False layers.

チェックには教材のネットワーク (2-15-1、8-100-100-1、784-784-784-10) と、毎回
ランダムに選ぶ大きさを使います。param_count と weight_shapes ではモデルを作らず、
sizes から計算してください。
The checks use the lab's networks (2-15-1, 8-100-100-1, 784-784-784-10) and sizes
drawn at random on every run. Build no model in param_count and weight_shapes: work
it out from the sizes.

Check it with: dltutor check 4.2
"""

import torch
from torch import nn


def param_count(sizes):
    # TODO: add up in*out + out over the layers (in, out) = neighbouring sizes
    raise NotImplementedError


def weight_shapes(sizes):
    # TODO: [((out, in), (out,)), ...], one pair per layer
    raise NotImplementedError


def count_parameters(model):
    # TODO: the number of elements of every tensor in model.parameters()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-params.py
    print(param_count([2, 15, 1]), weight_shapes([2, 15, 1]))
    model = nn.Sequential(nn.Linear(2, 15), nn.ReLU(), nn.Linear(15, 1))
    print(count_parameters(model))
    for name, p in model.named_parameters():
        print(name, tuple(p.shape))
