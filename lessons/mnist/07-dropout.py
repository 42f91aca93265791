"""演習 5.7 ドロップアウトと train()/eval() / Exercise 5.7: dropout under train() and eval()

関数を 1 つとクラスを 1 つ書いてください。
Write a function and a class.

dropout(x, p, training) -> torch.Tensor
    ドロップアウトを手で書きます (F.dropout や nn.Dropout は使いません)。x は float32 の
    テンソル、p は要素を 0 にする確率 (0 <= p < 1)、training は True か False です。
    学習のときは、各要素を確率 p で (要素ごとに独立に、呼ぶたびに新しく) 0 にし、残った
    要素を 1/(1 - p) 倍します。評価のとき (training=False) は x をそのまま返します。
    x をその場で書き換えてはいけません。
    Dropout by hand (no F.dropout / nn.Dropout). x: a float32 tensor; p: the
    probability of dropping an element (0 <= p < 1); training: True or False.
    In training, set each element to 0 with probability p, independently and
    anew on every call, and multiply the kept elements by 1/(1 - p). In
    evaluation (training=False) return x unchanged. Never change x in place.

class DropoutMLP(nn.Module)
    DropoutMLP(p) は、演習 5.4 の MLP の中間層にドロップアウトを入れたものです:
    平坦化 → nn.Linear(784, 100) → ReLU → 確率 p のドロップアウト → nn.Linear(100, 10)
    で、ロジットを返します。ドロップアウトは model.train() のあとは働き、model.eval()
    のあとは止まるようにします。
    DropoutMLP(p): the MLP of Exercise 5.4 with dropout on its hidden layer:
    flatten -> nn.Linear(784, 100) -> ReLU -> dropout with probability p ->
    nn.Linear(100, 10), returning logits. The dropout must be on after
    model.train() and off after model.eval().

Check it with: dltutor check 5.7
"""

import torch
import torch.nn.functional as F
from torch import nn


def dropout(x, p, training):
    # TODO: evaluation (or p == 0): x as it is
    # TODO: training: a random keep mask (True with probability 1 - p), then x * mask / (1 - p)
    raise NotImplementedError


class DropoutMLP(nn.Module):
    def __init__(self, p):
        # TODO: set up nn.Module; flatten, nn.Linear(784, 100), ReLU, a dropout with probability p, nn.Linear(100, 10)
        raise NotImplementedError

    def forward(self, x):
        # TODO: flatten -> fc1 -> ReLU -> dropout -> fc2
        raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 07-dropout.py
    x = torch.ones(2, 8)
    print(dropout(x, 0.5, True))     # about half 0, the rest 2
    print(dropout(x, 0.5, False))    # unchanged
    model = DropoutMLP(0.5)
    images = torch.randn(3, 1, 28, 28)
    model.train()
    print(torch.equal(model(images), model(images)))   # False: a new mask each call
    model.eval()
    print(torch.equal(model(images), model(images)))   # True
