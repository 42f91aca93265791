"""演習 6.9 残差ブロック: ショートカットと形の合わせ方 / Exercise 6.9: a residual block: the shortcut and matching shapes

クラスを 1 つ書いてください。
Write one class.

class ResidualBlock(nn.Module)
    ResidualBlock(in_channels, out_channels, stride=1) は ResNet の基本ブロックです。
    主経路は下のとおり 3x3 の畳み込み (バイアスなし) → BatchNorm2d → ReLU → 3x3 の
    畳み込み → BatchNorm2d です。ショートカットは、in_channels == out_channels かつ
    stride == 1 なら x そのもの、そうでなければ主経路と形が合うように 1x1 の畳み込み
    (stride 付き、バイアスなし) → BatchNorm2d を通したものです。
    forward(x) は ReLU(main(x) + shortcut(x)) を返します (ReLU は足したあと)。
    ResidualBlock(in_channels, out_channels, stride=1): ResNet's basic block.
    The main path:
        Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        -> BatchNorm2d(out_channels) -> ReLU
        -> Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        -> BatchNorm2d(out_channels)
    The shortcut: x itself when in_channels == out_channels and stride == 1;
    otherwise Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
    -> BatchNorm2d(out_channels), so that its shape matches the main path's.
    forward(x): ReLU(main(x) + shortcut(x)), the ReLU AFTER the addition.
    x: (N, in_channels, H, W) -> (N, out_channels, H', W'), H' = floor((H - 1) / stride) + 1.

Check it with: dltutor check 6.9
"""

import torch
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        # TODO: set up nn.Module; the main path (conv, BN, conv, BN) and the ReLU
        # TODO: the shortcut: identity, or a 1x1 conv and a BN when the shape changes
        raise NotImplementedError

    def forward(self, x):
        # TODO: ReLU(main path + shortcut)
        raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 09-residual.py
    x = torch.randn(2, 16, 8, 8)
    for args in ((16, 16), (16, 32, 2)):
        block = ResidualBlock(*args)
        print(args, tuple(block(x).shape), sum(p.numel() for p in block.parameters()))
