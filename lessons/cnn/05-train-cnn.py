"""演習 6.5 小さな CNN を MNIST で学習させる / Exercise 6.5: train a small CNN on MNIST

クラスを 1 つと関数を 1 つ書いてください。
Write a class and a function.

class SmallCNN(nn.Module)
    SmallCNN() (引数なし) で、MNIST 用の CNN を自分で設計して作ります。形 (N, 1, 28, 28)
    の float32 のバッチを、10 個の数字のスコア (ロジット) (形 (N, 10)) に変えます。
    よくある形 {Conv2d → ReLU → MaxPool2d} の繰り返し → 平坦化 → 全結合層 で作って
    ください。チェックは CPU で学習させるので小さく作ります。チャネル数 8 と 16 の
    畳み込み層 2 つで十分です (講義の 32、64 チャネルの CNN はここでは遅すぎます。
    1 枚あたりの積和が 300 万回を超えるモデルは受け付けません)。
    SmallCNN() (no arguments) builds a CNN of your own design for MNIST: it maps a
    float32 batch (N, 1, 28, 28) to the scores (logits) of the 10 digits, shape
    (N, 10). Use the usual pattern {Conv2d -> ReLU -> MaxPool2d} repeated, flatten,
    then fully connected layers. Keep it small, since the checks train it on a CPU:
    two conv layers with 8 and 16 channels are plenty (the lecture's CNN with 32 and
    64 channels is too slow here; the checks refuse more than 3 million multiply-adds
    per image).

train_cnn(model, loader, epochs) -> list of float
    `model` を、`loader` (画像 (B, 1, 28, 28) の float32 とラベル (B,) の int64 の組を
    返す DataLoader) で `epochs` エポック、`nn.CrossEntropyLoss` を使って学習させます
    (model 自体を更新します)。最適化手法と学習率は自分で決めてください (Adam で
    lr=0.002 くらいがよく効きます)。model は評価モードで渡されることがあるので (チェックが
    先に調べるため)、学習モードにして学習させてください。エポックごとの訓練損失の平均を、
    長さ `epochs` の float のリストで返します。
    Train `model` in place with `nn.CrossEntropyLoss` for `epochs` epochs over
    `loader`, a DataLoader of (images (B, 1, 28, 28) float32, labels (B,) int64).
    Choose the optimizer and learning rate (Adam with lr=0.002 works well). The
    model may come in evaluation mode (the checks look at it first): train it in
    training mode. Return the mean training loss of every epoch (a list of
    `epochs` floats).

チェックは毎回 MNIST の訓練データ (train=True) から 2000 枚を選び、決まったシードで
作った SmallCNN を train_cnn で 2 エポック学習させ、学習に使っていないテスト画像
(train=False) 1000 枚で正解率を測ります。合格は 80% 以上です。
データは dltutor に入っている MNIST なので、ネットワークは要りません。
The checks pick 2000 training images from MNIST (train=True) on every run, train
your SmallCNN (from a fixed seed) for 2 epochs through train_cnn, and measure the
accuracy on 1000 test images (train=False) it never saw: 80% is needed.
The data is the MNIST copy shipped with dltutor: no network is needed.

Check it with: dltutor check 6.5
"""

import torch
import torch.nn.functional as F
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module; conv layers, pooling, and fully connected layers
        raise NotImplementedError

    def forward(self, x):
        # TODO: {conv -> ReLU -> pool} x 2 -> flatten (keep the batch dimension) -> fully connected
        raise NotImplementedError


def train_cnn(model, loader, epochs):
    # TODO: loss function, optimizer over model.parameters()
    # TODO: every epoch, every mini-batch: zero_grad -> forward -> loss -> backward -> step
    # TODO: return the mean loss of every epoch
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-train-cnn.py
    from torch.utils.data import DataLoader, Subset
    from torchvision import datasets, transforms

    from tutor.data import mnist_root

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])
    train_set = datasets.MNIST(root=mnist_root(), train=True, download=False, transform=transform)
    test_set = datasets.MNIST(root=mnist_root(), train=False, download=False, transform=transform)
    train_loader = DataLoader(Subset(train_set, range(2000)), batch_size=32, shuffle=True)
    test_loader = DataLoader(Subset(test_set, range(1000)), batch_size=500, shuffle=False)

    torch.manual_seed(0)
    model = SmallCNN()
    print(train_cnn(model, train_loader, 2))
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    print("test accuracy", correct / len(test_loader.dataset))
