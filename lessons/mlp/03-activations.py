"""演習 4.3 活性化関数を定義から書く / Exercise 4.3: activation functions from their definitions

    sigmoid(u) = 1 / (1 + exp(-u))
    tanh(u)    = (exp(u) - exp(-u)) / (exp(u) + exp(-u))
    relu(u)    = max(0, u)

Write three functions. Each takes a float32 tensor u of any shape (values between
-20 and 20) and returns a NEW float32 tensor of the same shape, computed element by
element from the definition above with torch.exp, arithmetic, torch.clamp,
torch.maximum or torch.where. Do not call PyTorch's own sigmoid, tanh or relu
(torch.sigmoid, torch.tanh, torch.relu, torch.nn.functional.*, nn.Sigmoid, ...):
the checks compare your functions with them. Do not change u itself.

次の 3 つの関数を書いてください。どれも任意の形の float32 テンソル u (値は -20 から 20) を
受け取り、上の定義どおりに要素ごとに計算した、同じ形の新しい float32 テンソルを返します。
使ってよいのは torch.exp、四則演算、torch.clamp、torch.maximum、torch.where などです。
PyTorch に用意されている sigmoid、tanh、relu (torch.sigmoid、torch.tanh、torch.relu、
torch.nn.functional のもの、nn.Sigmoid など) は使わないでください。チェックはそれらと
比べて答え合わせをします。u 自体は書き換えないでください。

sigmoid(u) -> tensor      example / 例: sigmoid(tensor([0., 2.])) -> tensor([0.5000, 0.8808])
tanh(u)    -> tensor      example / 例: tanh(tensor([0., 1.]))    -> tensor([0.0000, 0.7616])
relu(u)    -> tensor      example / 例: relu(tensor([-1., 3.]))   -> tensor([0., 3.])

Check it with: dltutor check 4.3
"""

import torch


def sigmoid(u):
    # TODO: 1 / (1 + exp(-u)), elementwise
    raise NotImplementedError


def tanh(u):
    # TODO: (exp(u) - exp(-u)) / (exp(u) + exp(-u)), elementwise
    raise NotImplementedError


def relu(u):
    # TODO: max(0, u) for every element (compare each element with 0)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-activations.py
    u = torch.linspace(-3, 3, 7)
    print(u)
    print(sigmoid(u))
    print(tanh(u))
    print(relu(u))
