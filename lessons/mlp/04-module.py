"""演習 4.4 nn.Module と nn.Sequential で MLP を書く / Exercise 4.4: an MLP as an nn.Module and as nn.Sequential

ネットワーク:  x -> nn.Linear(n_in, n_hidden) -> ReLU -> nn.Linear(n_hidden, n_out) -> 出力
(最後の層のあとには活性化関数を付けず、2 つ目の全結合層の値をそのまま出力します)。
The network:   x -> nn.Linear(n_in, n_hidden) -> ReLU -> nn.Linear(n_hidden, n_out) -> output
(no activation after the last layer: the output is the second layer's value as it is).

クラスを 1 つと関数を 1 つ書いてください。
Write a class and a function.

class TwoLayerNet(nn.Module)
    TwoLayerNet(n_in, n_hidden, n_out) で 2 つの全結合層を作って属性として持ちます
    (名前は自由です)。forward(x) は形 (N, n_in) の float32 テンソルを受け取り、
    形 (N, n_out) のテンソルを返します。
    TwoLayerNet(n_in, n_hidden, n_out) builds the two fully connected layers and keeps
    them as attributes (the names are yours); forward(x) takes a float32 tensor of
    shape (N, n_in) and returns shape (N, n_out).

make_sequential(n_in, n_hidden, n_out) -> nn.Sequential
    同じネットワークを nn.Sequential で書いて返します。2 つの全結合層と、その間の
    nn.ReLU() をこの順に並べます。
    The same network written as nn.Sequential: the two fully connected layers with an
    nn.ReLU() between them, in this order.

チェックは毎回ランダムに選んだ大きさで両方を作り、登録されたパラメータの数を数え、
同じ重みを入れて、出力を式 y = W2 ReLU(W1 x + b1) + b2 と比べます。
The checks build both with sizes drawn on every run, count their registered
parameters, give them the same weights, and compare their outputs with the formula
y = W2 ReLU(W1 x + b1) + b2.

Check it with: dltutor check 4.4
"""

import torch
from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        # TODO: first of all, let nn.Module set itself up
        # TODO: the two fully connected layers (and the ReLU) as attributes of self
        raise NotImplementedError

    def forward(self, x):
        # TODO: fully connected -> ReLU -> fully connected
        raise NotImplementedError


def make_sequential(n_in, n_hidden, n_out):
    # TODO: nn.Sequential(layer, activation, layer)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-module.py
    model = TwoLayerNet(3, 5, 2)
    print(model)
    print(sum(p.numel() for p in model.parameters()), "parameters")
    print(model(torch.randn(4, 3)).shape)
    print(make_sequential(3, 5, 2))
