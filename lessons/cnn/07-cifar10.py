"""演習 6.7 (任意) CIFAR-10 のための CNN / Exercise 6.7 (optional): a CNN for CIFAR-10

CIFAR-10 は 10 クラス (飛行機、自動車、鳥、猫、鹿、犬、蛙、馬、船、トラック) の
32x32 のカラー画像 (3 チャネル、RGB) です。dltutor には入っていないので、ネットワークに
つながる環境でこのファイルを一度実行すると、コースのデータフォルダにダウンロード
されます (約 170 MB)。データがないとき、チェックはこの演習が使えないことと、その理由を
表示します。ほかの演習は CIFAR-10 がなくても進められます。
CIFAR-10 holds 32x32 colour images (3 channels, RGB) of ten classes: airplane,
automobile, bird, cat, deer, dog, frog, horse, ship, truck. dltutor does not ship
it: run this file once where the network is available and it downloads the data
(about 170 MB) into the course's data folder. Without the data the check says the
exercise is unavailable, and why; the rest of the course does not need it.

クラスを 1 つと関数を 1 つ書いてください。
Write a class and a function.

class CifarCNN(nn.Module)
    CifarCNN() (引数なし): 形 (N, 3, 32, 32) の float32 のバッチを、10 クラスのスコア
    (ロジット) (形 (N, 10)) に変える CNN です。CPU で学習できる大きさにしてください
    (たとえば conv 3→16、プーリング、conv 16→32、プーリング、全結合層。1 枚あたりの
    積和が 600 万回を超えるモデルは受け付けません)。
    CifarCNN() (no arguments): a CNN that maps a float32 batch (N, 3, 32, 32) to the
    scores (logits) of the 10 classes, shape (N, 10). Keep it small enough to train
    on a CPU (e.g. conv 3->16, pool, conv 16->32, pool, fully connected layers;
    the checks refuse more than 6 million multiply-adds per image).

train_cifar(model, loader, epochs) -> list of float
    演習 6.5 の train_cnn と同じです。`loader` (画像 (B, 3, 32, 32) の float32 を
    [-1, 1] に正規化したものと、ラベル (B,) の int64) で `epochs` エポック、
    nn.CrossEntropyLoss で学習させ、エポックごとの平均損失のリストを返します。
    As train_cnn of Exercise 6.5: train `model` in place with nn.CrossEntropyLoss
    for `epochs` epochs over `loader` (images (B, 3, 32, 32) float32 normalized to
    [-1, 1], labels (B,) int64) and return the mean loss of every epoch.

チェックは毎回、訓練画像 5000 枚とテスト画像 1000 枚を選び、2 エポック学習させて、
テスト画像で 30% 以上の正解率を求めます (でたらめに答えると 10% です)。
The checks pick 5000 training and 1000 test images on every run, train for 2
epochs and need 30% accuracy on the test images (guessing gets 10%).

Check it with: dltutor check 6.7
"""

import torch
import torch.nn.functional as F
from torch import nn


class CifarCNN(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module; the first conv layer takes 3 channels
        raise NotImplementedError

    def forward(self, x):
        # TODO: {conv -> ReLU -> pool} repeated -> flatten (keep the batch dimension) -> fully connected
        raise NotImplementedError


def train_cifar(model, loader, epochs):
    # TODO: the same loop as train_cnn in Exercise 6.5
    raise NotImplementedError


if __name__ == "__main__":
    # Run this file once with network access to download CIFAR-10, then experiment:
    # python 07-cifar10.py
    from torch.utils.data import DataLoader, Subset
    from torchvision import datasets, transforms

    from tutor.data import cache_root

    root = cache_root() / "cifar10"
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    train_set = datasets.CIFAR10(root=str(root), train=True, download=True, transform=transform)
    test_set = datasets.CIFAR10(root=str(root), train=False, download=True, transform=transform)
    print(train_set.data.shape)   # (50000, 32, 32, 3): channels-last NumPy array; ToTensor gives (3, 32, 32)
    train_loader = DataLoader(Subset(train_set, range(5000)), batch_size=32, shuffle=True)
    test_loader = DataLoader(Subset(test_set, range(1000)), batch_size=500)

    torch.manual_seed(0)
    model = CifarCNN()
    print(train_cifar(model, train_loader, 2))
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    print("test accuracy", correct / len(test_loader.dataset))
