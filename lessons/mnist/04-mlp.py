"""演習 5.4 MNIST の多層パーセプトロン / Exercise 5.4: multi-layer perceptrons for MNIST

クラスを 2 つと関数を 1 つ書いてください。
Write two classes and a function.

class MLP(nn.Module)
    MLP() (引数なし) は 784 → 100 → ReLU → 10 のモデルです。forward(x) は画像
    (N, 1, 28, 28) を (N, 784) に平坦化し、ロジット (N, 10) を返します (ソフトマックス
    関数は付けません。nn.CrossEntropyLoss で学習します)。
    MLP() (no arguments): 784 -> 100 -> ReLU -> 10. forward(x) takes images
    (N, 1, 28, 28), flattens them to (N, 784) and returns the logits (N, 10)
    (no softmax; it is trained with nn.CrossEntropyLoss).

class LectureNet(nn.Module)
    LectureNet() (引数なし) は教材のモデルです。全結合層 l1 = 784 → 784、
    l2 = 784 → 784、l3 = 784 → 10 の 3 つで、l1 と l2 のあとにシグモイド関数、出力に
    F.log_softmax(..., dim=1) をかけ、対数確率 (N, 10) を返します (F.nll_loss の入力です)。
    LectureNet() (no arguments): the lecture's model, three fully connected layers
    l1 = 784 -> 784, l2 = 784 -> 784, l3 = 784 -> 10, a sigmoid after l1 and after
    l2, and F.log_softmax(..., dim=1) at the output: it returns log-probabilities
    (N, 10), the input of F.nll_loss.

train_epoch(model, loader, optimizer) -> float
    演習 5.3 と同じ約束です。loader を 1 周、nn.CrossEntropyLoss と渡された optimizer で
    学習し、そのエポックの画像 1 枚あたりの平均損失を返します。5.3 で書いたものが
    そのまま使えます。
    The same contract as in Exercise 5.3: one epoch over `loader` with
    nn.CrossEntropyLoss and the `optimizer` given; return the epoch's mean loss
    per image. Your function from 5.3 works as it is.

チェックは初期値を固定したあなたの MLP を、MNIST の訓練画像 5,000 枚であなたの
train_epoch を使って 2 エポック (Adam、lr=1e-3) 学習させ、学習に使っていないテスト
画像 2,000 枚で正解率を測ります。LectureNet は構造と出力だけを調べます (学習はしません)。
The check trains your MLP (initial weights fixed by the check) with your
train_epoch on 5,000 MNIST training images for two epochs (Adam, lr=1e-3) and
measures its accuracy on 2,000 test images that never enter training.
LectureNet is checked by its structure and output only (it is not trained).

Check it with: dltutor check 5.4
"""

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module; flatten, nn.Linear(784, 100), ReLU, nn.Linear(100, 10)
        raise NotImplementedError

    def forward(self, x):
        # TODO: (N, 1, 28, 28) -> (N, 784) -> 100 -> ReLU -> logits (N, 10)
        raise NotImplementedError


class LectureNet(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module; l1, l2, l3 as in the lecture
        raise NotImplementedError

    def forward(self, x):
        # TODO: flatten -> l1 -> sigmoid -> l2 -> sigmoid -> l3 -> log_softmax over the classes
        raise NotImplementedError


def train_epoch(model, loader, optimizer):
    # TODO: the same as in Exercise 5.3
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-mlp.py
    # MNIST 全体で学習します (CPU で数分) / The full MNIST: a few minutes on a CPU
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    from tutor.data import mnist_root

    trans = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])
    train_set = datasets.MNIST(root=mnist_root(), train=True, download=False, transform=trans)
    test_set = datasets.MNIST(root=mnist_root(), train=False, download=False, transform=trans)
    train_loader = DataLoader(train_set, batch_size=100, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=100, shuffle=False)

    torch.manual_seed(0)
    model = MLP()
    print("parameters:", sum(p.numel() for p in model.parameters()))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        loss = train_epoch(model, train_loader, optimizer)
        model.eval()
        correct = 0
        with torch.no_grad():
            for images, labels in test_loader:
                correct += (model(images).argmax(dim=1) == labels).sum().item()
        print(f"epoch {epoch}: loss {loss:.4f}, test accuracy {correct / len(test_set):.4f}")
