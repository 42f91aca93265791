"""演習 5.8 torchvision の transforms: 正規化の定数、訓練データだけの拡張、transforms.v2 / Exercise 5.8: torchvision transforms: normalization constants, augmentation for training only, transforms.v2

次の 3 つの関数を書いてください。
Write three functions.

channel_stats(data) -> (float, float)
    data は `train_set.data` と同じ、訓練画像の uint8 のテンソル (形 (N, 28, 28)、値は
    0 から 255) です。全画素の平均と標準偏差を、0 から 1 の尺度 (255 で割った値) で、
    Python の float として返します。MNIST の訓練画像 60,000 枚全体なら、およそ
    0.1307 と 0.3081 です。
    data: training images as `train_set.data` holds them, a uint8 tensor
    (N, 28, 28) of values 0..255. Return the mean and the standard deviation
    of all their pixels on the 0..1 scale (divided by 255), as Python floats.
    For all 60,000 MNIST training images they are about 0.1307 and 0.3081.

test_transform(mean, std) -> a transform
    torchvision.transforms.v2 を使い、PIL 画像 (28x28、モード "L") を 0 から 1 に
    した float32 のテンソル (1, 28, 28) にして、mean と std で正規化する変換を返します
    (v2.ToImage、v2.ToDtype(torch.float32, scale=True)、v2.Normalize)。ランダムな
    処理は入れません。
    With torchvision.transforms.v2: a PIL image (28x28, mode "L") to a float32
    tensor (1, 28, 28) scaled to 0..1 and normalized with `mean` and `std`:
    v2.ToImage, v2.ToDtype(torch.float32, scale=True), v2.Normalize. Nothing random.

train_transform(mean, std) -> a transform
    同じ変換の前に、数字が数字のままであるようなランダムなデータ拡張を入れます。
    少しずらす・回す (v2.RandomAffine、padding 付きの v2.RandomCrop、
    v2.RandomRotation など) です。反転は入れません (鏡に映した 2 や 7 は数字ではありません)。
    The same, with a random augmentation first that keeps a digit a digit:
    small shifts or rotations (v2.RandomAffine, v2.RandomCrop with padding,
    v2.RandomRotation, ...). No flips: a mirrored 2 or 7 is no digit.

Check it with: dltutor check 5.8
"""

import torch
from torchvision.transforms import v2


def channel_stats(data):
    # TODO: to float, divide by 255, then the mean and std of all pixels, as floats
    raise NotImplementedError


def test_transform(mean, std):
    # TODO: v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(...)])
    raise NotImplementedError


def train_transform(mean, std):
    # TODO: a random augmentation (no flips) before the steps of test_transform
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 08-transforms.py
    from torchvision import datasets

    from tutor.data import mnist_root

    train_set = datasets.MNIST(root=mnist_root(), train=True, download=False)
    mean, std = channel_stats(train_set.data)
    print("mean", mean, "std", std)
    train_set.transform = train_transform(mean, std)
    test_set = datasets.MNIST(root=mnist_root(), train=False, download=False, transform=test_transform(mean, std))
    image, label = train_set[0]
    print(image.shape, image.dtype, label, float(test_set[0][0].mean()))
