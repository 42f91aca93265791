"""演習 5.5 正解率を正しく数える / Exercise 5.5: count the accuracy right

次の 2 つの関数を書いてください。
Write two functions.

accuracy(model, loader) -> float
    loader (画像とラベルのミニバッチを返す DataLoader。最後のミニバッチは他より小さい
    ことがあります) の全画像について、正しく分類できた割合を返します。予測は出力が最大の
    クラス output.argmax(dim=1) です。モデルを評価モードにし、torch.no_grad() の中で
    計算します。
    The fraction of correctly classified images over ALL images of `loader`
    (a DataLoader of (images, labels) mini-batches; the last one may be
    shorter than the others). The prediction is the class with the largest
    output, output.argmax(dim=1). Put the model in evaluation mode and compute
    under torch.no_grad().

predict_all(model, dataset, batch_size) -> torch.Tensor (N,) int64
    dataset ((画像, ラベル) の組を返す Dataset) の全サンプルの予測クラスを、データセットの
    順番どおりに返します (predict_all(...)[i] が dataset[i] の予測になるように)。
    データは batch_size の DataLoader で回し、上と同じく評価モードと torch.no_grad()
    で計算します。
    The predicted class of every sample of `dataset` (a Dataset of (image, label)
    pairs), in the dataset's order, so that predict_all(...)[i] belongs to
    dataset[i]. Go through the data with a DataLoader of the given batch_size;
    evaluation mode and torch.no_grad() as above.

チェックは、ドロップアウト層を含むモデルを学習直後と同じ学習モードのまま渡し、MNIST の
本物のテスト画像を使います。
The checks give you a model with a dropout layer, handed over in training mode as
it would be right after training, and real MNIST test images.

Check it with: dltutor check 5.5
"""

import torch
from torch.utils.data import DataLoader


def accuracy(model, loader):
    # TODO: evaluation mode; under torch.no_grad() count the hits and the images actually seen
    raise NotImplementedError


def predict_all(model, dataset, batch_size):
    # TODO: a DataLoader over dataset that keeps the order; evaluation mode; no_grad
    # TODO: collect argmax(dim=1) of every mini-batch and join them into one tensor
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-accuracy.py
    from torch import nn
    from torchvision import datasets, transforms

    from tutor.data import mnist_root

    trans = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])
    test_set = datasets.MNIST(root=mnist_root(), train=False, download=False, transform=trans)
    test_loader = DataLoader(test_set, batch_size=64, shuffle=False)
    print("mini-batches:", len(test_loader), "size of the last one:", len(test_set) % 64)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(784, 10))  # untrained: about 10%
    print("accuracy:", accuracy(model, test_loader))
    preds = predict_all(model, test_set, 64)
    print(preds[:20], (preds == test_set.targets).float().mean().item())
