"""演習 5.3 多クラスのロジスティック回帰 (784→10) / Exercise 5.3: multi-class logistic regression (784->10)

クラスを 1 つと関数を 1 つ書いてください。
Write a class and a function.

class LogisticRegression(nn.Module)
    LogisticRegression() (引数なし) は全結合層 nn.Linear(784, 10) を 1 つだけ持ちます。
    forward(x) は形 (N, 1, 28, 28) の画像のミニバッチを (N, 784) に平坦化し、数字ごとの
    スコアであるロジット (N, 10) を返します。ソフトマックス関数は付けません (損失関数が
    計算します)。
    LogisticRegression() (no arguments): one fully connected layer nn.Linear(784, 10).
    forward(x) takes a batch of images x of shape (N, 1, 28, 28), flattens it to
    (N, 784) and returns the logits (N, 10), one score per digit. No softmax: the
    loss function computes it.

train_epoch(model, loader, optimizer) -> float
    model を 1 エポックだけ学習させます。loader を 1 周し、ミニバッチは (画像 (B, 1, 28, 28)
    の float32, ラベル (B,) の int64) です。損失関数は nn.CrossEntropyLoss、最適化手法は
    引数の optimizer を使います (新しく作らないこと)。ミニバッチごとに zero_grad → 順伝播
    → 損失 → backward → step の順に進めます。このエポックの、画像 1 枚あたりの平均損失を
    float で返します。loss.item() * len(labels) を足し合わせ、画像の数 len(loader.dataset)
    で割ります (最後のミニバッチは小さいことがあります。ミニバッチの損失をそのまま平均すると、
    それを満杯のミニバッチと同じ重さで数えてしまいます)。
    Train `model` for ONE epoch: one pass over `loader`, whose mini-batches are
    (images (B, 1, 28, 28) float32, labels (B,) int64). Use nn.CrossEntropyLoss and
    the `optimizer` you are given (do not make a new one). For every mini-batch:
    zero_grad -> forward -> loss -> backward -> step. Return this epoch's mean
    loss PER IMAGE as a float: add up loss.item() * len(labels) and divide by
    the number of images, len(loader.dataset). (The last mini-batch may be
    smaller; a plain mean of the mini-batch losses would count it as a full one.)

チェックは初期値を固定したあなたのモデルを、MNIST の訓練画像 5,000 枚であなたの
train_epoch を使って 2 エポック (SGD、lr=0.1) 学習させ、学習に使っていないテスト画像
2,000 枚で正解率を測ります。
The check seeds your model's initial weights, trains it with your train_epoch on
5,000 MNIST training images for two epochs (SGD, lr=0.1), and measures its
accuracy on 2,000 test images that never enter training.

Check it with: dltutor check 5.3
"""

import torch
from torch import nn


class LogisticRegression(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module, then a flatten step and nn.Linear(784, 10)
        raise NotImplementedError

    def forward(self, x):
        # TODO: (N, 1, 28, 28) -> (N, 784) -> logits (N, 10)
        raise NotImplementedError


def train_epoch(model, loader, optimizer):
    # TODO: model.train(); a CrossEntropyLoss
    # TODO: for each (images, labels): zero_grad -> forward -> loss -> backward -> step;
    #       add up loss.item() * len(labels)
    # TODO: return the mean loss per image: the total divided by len(loader.dataset)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-logreg.py
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
    model = LogisticRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(3):
        loss = train_epoch(model, train_loader, optimizer)
        model.eval()
        correct = 0
        with torch.no_grad():
            for images, labels in test_loader:
                correct += (model(images).argmax(dim=1) == labels).sum().item()
        print(f"epoch {epoch}: loss {loss:.4f}, test accuracy {correct / len(test_set):.4f}")
