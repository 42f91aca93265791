"""演習 5.1 MNIST を読み込む / Exercise 5.1: load MNIST

次の 3 つの関数を書いてください。
Write three functions.

make_transform() -> transform
    講義の変換です。transforms.ToTensor() のあとに transforms.Normalize((0.5,), (1.0,))
    をかけるものを transforms.Compose でまとめて返します。MNIST の画像 1 枚 (PIL 画像) に
    適用すると、形 (1, 28, 28)、値が -0.5 から 0.5 の float32 テンソルになります。
    The course's transform: transforms.ToTensor(), then
    transforms.Normalize((0.5,), (1.0,)), combined with transforms.Compose.
    Applied to one MNIST image (a PIL image) it gives a float32 tensor of shape
    (1, 28, 28) with values from -0.5 to 0.5.

make_loaders(batch_size) -> (train_loader, test_loader)
    MNIST の訓練データ (train=True、60,000 枚) とテストデータ (train=False、10,000 枚) を、
    どちらも make_transform() の変換付きで読み込み、引数の batch_size の DataLoader に
    します。訓練用はシャッフルし、テスト用は順番どおりにします。データは下のとおり
    オフラインで読み込みます (dltutor に入っている MNIST を使います)。
    The MNIST training data (train=True, 60,000 images) and test data (train=False,
    10,000 images), both with make_transform(), each in a DataLoader with the given
    batch_size. Shuffle the training data; keep the test data in order.
    Load the data offline, exactly like this:
        datasets.MNIST(root=mnist_root(), train=..., download=False, transform=...)

flatten(images) -> torch.Tensor
    形 (N, 1, 28, 28) のミニバッチを、1 行が 1 枚の画像になる形 (N, 784) にして返します
    (全結合層に入れるためです)。
    images: a batch of shape (N, 1, 28, 28). Return it as (N, 784), one row per
    image, for a fully connected layer.

Check it with: dltutor check 5.1
"""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from tutor.data import mnist_root


def make_transform():
    # TODO: transforms.Compose([...]) of ToTensor and Normalize((0.5,), (1.0,))
    raise NotImplementedError


def make_loaders(batch_size):
    # TODO: datasets.MNIST(root=mnist_root(), train=True / False, download=False, transform=make_transform())
    # TODO: a DataLoader for each; which one shuffles?
    raise NotImplementedError


def flatten(images):
    # TODO: (N, 1, 28, 28) -> (N, 784)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-loaders.py
    train_loader, test_loader = make_loaders(100)
    print(len(train_loader.dataset), len(test_loader.dataset), len(test_loader))
    images, labels = next(iter(test_loader))
    print(images.shape, images.dtype, images.min().item(), images.max().item())
    print(labels[:10], labels.dtype)
    print(flatten(images).shape)
