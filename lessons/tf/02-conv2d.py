"""演習 8.2 Conv2D の重み、NHWC、Flatten の順番 / Exercise 8.2: Conv2D weights, NHWC batches and the Flatten order

次の 4 つの関数を書いてください。
Write four functions.

nhwc_to_nchw(x) -> torch.Tensor
    x は Keras の並び (N, H, W, C) の画像のバッチ (NumPy 配列、float32 か float64) です。
    PyTorch の並び (N, C, H, W) の float32 テンソルを返してください。
    x: a NumPy batch of images in Keras's layout (N, H, W, C); float32 or float64.
    Return a float32 tensor in torch's layout (N, C, H, W).

nchw_to_nhwc(y) -> np.ndarray
    y は (N, C, H, W) のテンソル (モデルの出力など。勾配を追跡していることもあります) です。
    (N, H, W, C) の NumPy 配列を返してください。
    y: a torch tensor (N, C, H, W), e.g. a model's output (it may track gradients).
    Return a NumPy array (N, H, W, C).

conv2d_from_keras(kernel, bias, padding) -> nn.Conv2d
    kernel は Keras の `Conv2D(filters, (kh, kw), padding=padding)` 層のカーネルで、
    形は (kh, kw, in, out) です (kh と kw は奇数)。bias の形は (out,)、padding は
    "valid" か "same" (ストライドは 1) です。同じ特徴マップを (NCHW で) 計算する
    float32 の `nn.Conv2d` を返してください。
    kernel: the NumPy kernel of a Keras `Conv2D(filters, (kh, kw), padding=padding)` layer,
            shape (kh, kw, in, out); kh and kw are odd.
    bias:   shape (out,).  padding: "valid" or "same" (the stride is 1).
    Return a float32 `nn.Conv2d` that computes the same feature maps (in NCHW).

dense_after_flatten(kernel, bias, height, width, channels) -> nn.Linear
    kernel, bias は、大きさ (height, width, channels) の NHWC の特徴マップに `Flatten()`
    をかけたあとに置かれた Keras の `Dense(units)` の重みで、kernel の形は
    (height*width*channels, units) です。同じ特徴マップを NCHW で持ち、PyTorch で
    `x.flatten(1)` したものに使ったとき、同じ出力になる float32 の `nn.Linear` を返してください。
    kernel, bias: the weights of a Keras `Dense(units)` that follows `Flatten()` applied to
    an NHWC feature map of size (height, width, channels); kernel is (height*width*channels, units).
    Return a float32 `nn.Linear` that gives the same outputs when applied to torch's
    `x.flatten(1)` of the same feature map in NCHW.

チェックは毎回新しい重みとバッチを作り、Keras の計算結果と比べます。
The checks draw new weights and batches on every run and compare with what Keras computes.

Check it with: dltutor check 8.2
"""

import numpy as np
import torch
from torch import nn


def nhwc_to_nchw(x):
    # TODO: a float32 tensor, then move the channel axis
    raise NotImplementedError


def nchw_to_nhwc(y):
    # TODO: off the graph, onto the CPU, channel axis last, then NumPy
    raise NotImplementedError


def conv2d_from_keras(kernel, bias, padding):
    # TODO: an nn.Conv2d with the right channels, kernel size and padding
    # TODO: copy the kernel (mind the layout!) and the bias, as float32
    raise NotImplementedError


def dense_after_flatten(kernel, bias, height, width, channels):
    # TODO: put the kernel's rows into torch's flatten order, then build the nn.Linear
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-conv2d.py
    x = np.arange(2 * 4 * 5 * 3, dtype=np.float32).reshape(2, 4, 5, 3)   # NHWC: 2 images, 4x5, 3 channels
    t = nhwc_to_nchw(x)
    print(t.shape)                        # torch.Size([2, 3, 4, 5])
    print(x[0, :, :, 0])                  # channel 0 of image 0 ...
    print(t[0, 0])                        # ... must be the same
    print(nchw_to_nhwc(t).shape)          # (2, 4, 5, 3)
