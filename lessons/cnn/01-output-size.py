"""演習 6.1 出力サイズの公式 / Exercise 6.1: the output-size formula

畳み込み層やプーリング層は、カーネルサイズ K、パディング P、ストライド S のとき、
大きさ I の入力を次の大きさの出力に変えます。
A convolution or pooling layer with kernel size K, padding P and stride S turns
an input of side I into an output of side

    O = floor((I - K + 2P) / S) + 1

次の 3 つの関数を書いてください。大きさはすべて int で、画像は正方形とします。
Write three functions. All sizes are ints; images are square.

conv_output_size(size, kernel, padding=0, stride=1) -> int
    入力の大きさ I = size に対する出力の大きさ O を返します。
    The output side O for an input side I = size.

trace_sizes(size, layers) -> list of int
    layers は層ごとの (kernel, padding, stride) のタプルを順に並べたリストです。
    入力の大きさから始めて、層を 1 つ通るごとの大きさを並べたリストを返します。
    layers: a list of (kernel, padding, stride) tuples, one per layer, in order.
    Return the sizes seen along the way, starting with the input size:
    e.g. trace_sizes(28, [(3, 0, 1), (3, 0, 1), (2, 0, 2)]) == [28, 26, 24, 12].

flatten_size(size, layers, channels) -> int
    層を通ったあと最後の層のチャネル数が channels のとき、1 枚の画像あたりの値の数
    (平坦化して最初の全結合層に入る数) を返します。
    The number of values per image after the layers, when the last layer has
    `channels` channels: what the first fully connected layer receives.

チェックは毎回ちがう大きさを選び、PyTorch の層が実際に出す大きさと比べます。
The checks draw new sizes on every run and compare with what PyTorch's layers give.

Check it with: dltutor check 6.1
"""


def conv_output_size(size, kernel, padding=0, stride=1):
    # TODO: O = floor((I - K + 2P) / S) + 1, as an int
    raise NotImplementedError


def trace_sizes(size, layers):
    # TODO: start the list with `size`, then apply every (kernel, padding, stride) in turn
    raise NotImplementedError


def flatten_size(size, layers, channels):
    # TODO: the last size of the trace, squared, times the channels
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-output-size.py
    import torch
    from torch import nn

    x = torch.zeros(1, 1, 28, 28)
    print(nn.Conv2d(1, 32, 3)(x).shape)   # compare with conv_output_size(28, 3)
    print(conv_output_size(28, 3))
    print(trace_sizes(28, [(3, 0, 1), (3, 0, 1), (2, 0, 2)]))
