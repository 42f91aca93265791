"""演習 2.1 平均二乗誤差を手で、nn.MSELoss で / Exercise 2.1: mean squared error by hand and with nn.MSELoss

Mean squared error / 平均二乗誤差:   J = (1/N) Σ (y_n - f(x_n))^2

次の 2 つの関数を書いてください。
Write two functions.

mse(pred, target) -> torch.Tensor
    pred と target は同じ形 (形は自由) の float32 テンソルです。全要素についての
    平均二乗誤差を、テンソルの演算だけを使って「手で」計算し、0 次元のテンソルで返します
    (ここでは nn.MSELoss や F.mse_loss を使わないこと)。backward() で勾配を
    求められるよう、テンソルのまま返してください。
    pred, target: float32 tensors of the same shape (any shape).
    Return the mean squared error over all elements as a 0-dim tensor, computed
    BY HAND with tensor operations (do not use nn.MSELoss or F.mse_loss here).
    Keep it a tensor: backward() must work through it.

model_loss(model, x, y) -> torch.Tensor
    model は形 (N, 1) の x から形 (N, 1) の出力を作るモデルです (nn.Linear(1, 1) など)。
    x は形 (N, 1)、y は形 (N,) (表の 1 列) の float32 テンソルです。
    model(x) と y の損失を nn.MSELoss() で求め、0 次元のテンソルで返します。形をそろえること。
    model: a model that maps x of shape (N, 1) to outputs of shape (N, 1) (e.g. nn.Linear(1, 1)).
    x: a float32 tensor of shape (N, 1).   y: a float32 tensor of shape (N,) (a column of a table).
    Return nn.MSELoss() between model(x) and y, as a 0-dim tensor, with the shapes made to match.

Check it with: dltutor check 2.1
"""

import torch
from torch import nn


def mse(pred, target):
    # TODO: (1/N) * sum of (target - pred)^2 over all elements, as a tensor
    raise NotImplementedError


def model_loss(model, x, y):
    # TODO: the model's output is (N, 1) but y is (N,): make the shapes match
    # TODO: then use nn.MSELoss()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-mse.py
    pred = torch.tensor([1.0, 2.0, 4.0])
    target = torch.tensor([1.5, 2.0, 3.0])
    print(mse(pred, target), nn.MSELoss()(pred, target))   # both 0.4167
    model = nn.Linear(1, 1)
    x = torch.linspace(-1, 1, 5).view(-1, 1)
    y = 2 * x[:, 0] + 1
    print(model(x).shape, y.shape)
    print(model_loss(model, x, y))
