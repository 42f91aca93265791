"""演習 6.3 講義の MNIST 用 CNN / Exercise 6.3: the lecture's CNN for MNIST

講義で紹介した、1x28x28 の MNIST 画像のためのネットワークです。
The network from the lecture, for 1x28x28 MNIST images:

    conv1 = Conv2d(1, 32, 3)      # 1x28x28  -> 32x26x26
    conv2 = Conv2d(32, 64, 3)     # 32x26x26 -> 64x24x24
    pool  = MaxPool2d(2)          # 64x24x24 -> 64x12x12
    fc1   = Linear(?, 128)        # flatten, then a fully connected layer
    fc2   = Linear(128, 10)       # one score per digit

    forward: conv1 -> ReLU -> conv2 -> ReLU -> pool -> flatten -> fc1 -> ReLU -> fc2

クラスを 1 つと関数を 1 つ書いてください。
Write a class and a function.

class LectureCNN(nn.Module)
    LectureCNN() (引数なし) で上のネットワークを作ります。平坦化のサイズ "?" は自分で
    求めてください。forward(x) は形 (N, 1, 28, 28) の float32 のバッチを、形 (N, 10) の
    スコア (ロジット) に変えます。平坦化ではバッチの次元を残します。
    (講義のように最後に F.log_softmax をかけても合格です。)
    LectureCNN() (no arguments) builds the network above. Work out the flatten
    size "?" yourself. forward(x) maps a float32 batch (N, 1, 28, 28) to the
    scores (logits) of shape (N, 10); keep the batch dimension when you flatten.
    (Ending with F.log_softmax as the lecture does is accepted too.)

count_parameters(model) -> int
    どんなモデルについても、パラメータの数 (数値の個数) を返します。LectureCNN なら
    1,199,882 です。
    The number of parameters (numbers) in any model: for LectureCNN it is 1,199,882.

チェックはあなたの層に毎回ちがう重みを入れてランダムなバッチを流し、毎回ちがう CNN の
パラメータも数えさせます。
The checks put weights of their own into your layers, feed random batches, and
count the parameters of CNNs they draw on every run.

Check it with: dltutor check 6.3
"""

import torch
import torch.nn.functional as F
from torch import nn


class LectureCNN(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module, then conv1, conv2, pool, fc1, fc2
        raise NotImplementedError

    def forward(self, x):
        # TODO: conv1 -> ReLU -> conv2 -> ReLU -> pool -> flatten (keep the batch dimension) -> fc1 -> ReLU -> fc2
        raise NotImplementedError


def count_parameters(model):
    # TODO: add up the number of elements of every parameter tensor
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-lecture-cnn.py
    model = LectureCNN()
    x = torch.randn(4, 1, 28, 28)
    h = model.pool(F.relu(model.conv2(F.relu(model.conv1(x)))))
    print(h.shape)            # the feature map before flattening
    print(model(x).shape)     # torch.Size([4, 10])
    print(count_parameters(model))
