"""演習 6.2 畳み込みとプーリングを手で計算する / Exercise 6.2: convolution and max pooling by hand

1 チャネルの 2 次元テンソルについて、次の 2 つの関数を書いてください。PyTorch の
畳み込みやプーリング (`F.conv2d`、`nn.Conv2d`、`F.max_pool2d`、`nn.MaxPool2d`) は
使わず、出力の位置についてのループ、スライス、`*`、`sum()`、`max()` で計算します。
Write two functions on single-channel 2-D tensors, WITHOUT PyTorch's own
convolution or pooling (`F.conv2d`, `nn.Conv2d`, `F.max_pool2d`, `nn.MaxPool2d`):
loops over the output positions, slicing, `*`, `sum()` and `max()` are enough.

cross_correlate(x, kernel, stride=1, padding=0) -> torch.Tensor
    x: float32 (H, W); kernel: float32 (KH, KW).
    x の周りを 0 で padding 個ずつ囲み、カーネルを stride ずつずらしながら、各位置で
    要素ごとの積の和をとります (カーネルは反転しません)。下の `F.conv2d` と同じ
    float32 の (OH, OW) テンソルを返します。
    Surround x with `padding` zeros on every side, slide the kernel over it with
    step `stride`, and at every position take the sum of the elementwise products
    (the kernel is NOT flipped). Return a float32 (OH, OW) tensor, the same as
        F.conv2d(x[None, None], kernel[None, None], stride=stride, padding=padding)[0, 0]

max_pool(x, size) -> torch.Tensor
    x を重ならない size x size の窓に分け (ストライドは size)、端に余った行と列は捨てて、
    各窓の最大値をとります。下の `F.max_pool2d` と同じ float32 の (H // size, W // size)
    テンソルを返します。
    x: float32 (H, W). Split x into size x size windows that do not overlap
    (stride = size), drop the rows and columns left over at the edges, and take
    the maximum of every window. Return float32 (H // size, W // size), the same as
        F.max_pool2d(x[None, None], size)[0, 0]

教材の計算例 / Worked example from the lab manual:
    x = 1..25 as 5x5, kernel = 1..9 as 3x3  ->  top-left output 411
    (1*1 + 2*2 + 3*3 + 6*4 + 7*5 + 8*6 + 11*7 + 12*8 + 13*9 = 411)

Check it with: dltutor check 6.2
"""

import torch


def cross_correlate(x, kernel, stride=1, padding=0):
    # TODO: pad x with zeros (e.g. make a bigger zero tensor and copy x into its middle)
    # TODO: output size from the formula of Exercise 6.1, for the height and the width
    # TODO: for every output position: window * kernel, summed
    raise NotImplementedError


def max_pool(x, size):
    # TODO: output (H // size, W // size); every value is the max of one size x size window
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-conv-by-hand.py
    import torch.nn.functional as F

    x = torch.arange(1.0, 26.0).reshape(5, 5)
    k = torch.arange(1.0, 10.0).reshape(3, 3)
    print(cross_correlate(x, k))
    print(F.conv2d(x[None, None], k[None, None])[0, 0])   # should be the same
    print(max_pool(x, 2))
    print(F.max_pool2d(x[None, None], 2)[0, 0])
