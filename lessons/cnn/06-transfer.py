"""演習 6.6 転移学習: 特徴抽出の層を凍結する / Exercise 6.6: transfer learning, freezing the feature layers

チェックは、あるタスク (10 個の数字のうち 5 個の分類) で学習したばかりの CNN を
渡します。下の `PretrainedCNN` とまったく同じ、2 つの部分からなるモデルです。
The checks hand you a CNN that has just been trained on one task (five of the
ten digits). It has two parts, exactly like `PretrainedCNN` below:

    model.features   conv 1->8, ReLU, pool, conv 8->16, ReLU, pool, flatten: 784 features
    model.head       nn.Linear(784, 5): the output layer of the old task

学習済みの特徴抽出の部分を、新しいタスク (別の数字 `num_classes` 個の分類) に使い回します。
Reuse the trained features for a new task (other digits, `num_classes` of them):

prepare_transfer(model, num_classes) -> model
    model.features のパラメータをすべて凍結し (requires_grad=False)、model.head を
    新しい nn.Linear(model.head.in_features, num_classes) に付け替えて、model を返します。
    Freeze every parameter of model.features (requires_grad=False) and replace
    model.head with a new nn.Linear(model.head.in_features, num_classes).
    Return the model.

train_head(model, loader, epochs) -> list of float
    上で準備したモデルを、`loader` (画像 (B, 1, 28, 28) の float32 と、0 から
    num_classes - 1 のラベル (B,) の int64) で `epochs` エポック、`nn.CrossEntropyLoss`
    を使って学習させます。学習するのは新しい出力層だけです。model は評価モードで渡される
    ことがあるので、学習モードにして学習させてください。エポックごとの平均損失を、長さ
    `epochs` の float のリストで返します。Adam で lr=0.003 くらいがよく効きます。
    Train the model prepared above for `epochs` epochs over `loader` (images
    (B, 1, 28, 28) float32, labels (B,) int64 from 0 to num_classes - 1) with
    `nn.CrossEntropyLoss`, so that ONLY the new head learns. The model may come in
    evaluation mode: train it in training mode. Return the mean loss of every
    epoch (a list of `epochs` floats). Adam with lr=0.003 works well.

モデルは学習を終えたばかりなので、パラメータの `.grad` に勾配が残っているかも
しれません。チェックは、あなたの関数の前後で model.features のすべての値を
1 ビット単位で比べます。凍結した層は少しも変わってはいけません。そのあとで、
新しい数字のテスト画像で正解率を測ります (合格は 80% 以上)。
The model comes straight from training, so its parameters may still hold
gradients in `.grad`. The checks compare every value of model.features before
and after your functions bit for bit: the frozen layers must not change at all.
Then they measure the accuracy on test images of the new digits (80% is needed).

Check it with: dltutor check 6.6
"""

import torch
from torch import nn


class PretrainedCNN(nn.Module):
    """The network the checks hand over (for your own experiments)."""

    def __init__(self, classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
        )
        self.head = nn.Linear(16 * 7 * 7, classes)

    def forward(self, x):
        return self.head(self.features(x))


def prepare_transfer(model, num_classes):
    # TODO: requires_grad = False for every parameter of model.features
    # TODO: a new model.head for num_classes classes
    raise NotImplementedError


def train_head(model, loader, epochs):
    # TODO: an optimizer that holds only the parameters that should learn
    # TODO: the usual loop: zero_grad -> forward -> loss -> backward -> step; mean loss per epoch
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-transfer.py
    torch.manual_seed(0)
    model = PretrainedCNN(5)
    before = [p.detach().clone() for p in model.features.parameters()]
    model = prepare_transfer(model, 3)
    x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 3, (64,))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
    print(train_head(model, loader, 2))
    print("features unchanged:", all(torch.equal(a, b) for a, b in zip(before, model.features.parameters())))
