"""演習 6.4 CNN への入力は 4 次元 (N, C, H, W) / Exercise 6.4: CNN input is 4-D (N, C, H, W)

PyTorch の `Conv2d` は画像のバッチを 4 次元のテンソル (N, C, H, W) (バッチ、チャネル、
高さ、幅) で受け取ります。画像が 1 枚でも 4 次元です。データによってはチャネルが最後に
来る (N, H, W, C) の並び (channels-last) になっています。たとえば torchvision の CIFAR10 の
`.data` は uint8 の (50000, 32, 32, 3) の配列です。
PyTorch's `Conv2d` takes a batch of images as a 4-D tensor (N, C, H, W):
batch, channels, height, width, even for one image. Some data comes channels-last
(N, H, W, C): e.g. the `.data` array of torchvision's CIFAR10 is uint8 (50000, 32, 32, 3).

次の 3 つの関数を書いてください。
Write three functions.

to_nchw(images) -> torch.Tensor
    images は 0..255 の値をもつ NumPy の uint8 配列 (N, H, W, C) です。形 (N, C, H, W)、
    値が [0, 1] の float32 テンソルを返します (`transforms.ToTensor()` が 1 枚ずつ
    するのと同じく 255 で割ります)。
    images: a NumPy uint8 array (N, H, W, C) of values 0..255.
    Return a float32 tensor (N, C, H, W) with values in [0, 1] (divided by 255, as
    `transforms.ToTensor()` does for one image).

predict_one(model, image) -> int
    image は 1 枚の float32 の画像 (C, H, W) です。モデルが予測するクラス (出力が最大の
    番号) を Python の int で返します。モデルには 4 次元のバッチを渡してください。
    image: one float32 image (C, H, W). Return the class the model predicts for it
    (the index of the largest output) as a Python int. The model must receive a
    4-D batch.

predict_batch(model, images) -> torch.Tensor
    images は NumPy の uint8 配列 (N, H, W, C) です。予測したクラスを形 (N,) の int64
    テンソルで返します。to_nchw を使ってください。
    images: a NumPy uint8 array (N, H, W, C). Return the predicted classes as an
    int64 tensor of shape (N,). Use to_nchw.

`model` はチェックが作る CNN (最初の層が Conv2d) で、`model(x)` と呼びます。ドロップアウト層を
含み、学習直後と同じ学習モードのまま渡されるので、評価モードで予測してください。予測に
勾配は要りません。画像もモデルの重みも毎回ちがうものをチェックが作ります。
`model` is a CNN made by the checks (its first layer is a Conv2d); call it as
`model(x)`. It has a dropout layer and comes in training mode, as right after
training: predict in evaluation mode. Predictions need no gradients. The checks
draw the images and the model's weights on every run.

Check it with: dltutor check 6.4
"""

import numpy as np
import torch


def to_nchw(images):
    # TODO: NumPy -> tensor, move the channel axis to position 1, float32 in [0, 1]
    raise NotImplementedError


def predict_one(model, image):
    # TODO: add the batch dimension, run the model without gradients, argmax, Python int
    raise NotImplementedError


def predict_batch(model, images):
    # TODO: to_nchw, then the model, then argmax over the classes
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-input-shapes.py
    from torch import nn

    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(4, 10))
    images = np.random.randint(0, 256, size=(5, 32, 32, 3), dtype=np.uint8)
    x = to_nchw(images)
    print(x.shape, x.dtype)                 # torch.Size([5, 3, 32, 32]) torch.float32
    print(predict_one(model, x[0]))         # x[0] has shape (3, 32, 32)
    print(predict_batch(model, images))
