"""演習 4.5 直線では分けられないデータを 2-15-1 の MLP で分ける / Exercise 4.5: a 2-15-1 MLP separates what a line cannot

教材のネットワーク (入力 2、中間層 15、出力 1):
The lab's network, 2 inputs -> 15 hidden units -> 1 output:

    x (N, 2) -> nn.Linear(2, 15) -> ReLU -> nn.Linear(15, 1) -> sigmoid -> p (N, 1)

p はクラス 1 である確率で、p > 0.5 のところを 1 と予測します。
p is the probability of class 1; the prediction is 1 where p > 0.5.

クラスを 1 つと関数を 1 つ書いてください。
Write a class and a function.

class LabMLP(nn.Module)
    LabMLP() (引数なし) で上のネットワークを作ります。forward(x) は形 (N, 2) の
    float32 テンソルを、形 (N, 1) の確率に変換します。
    LabMLP() (no arguments) builds the network above; forward(x) maps a float32
    tensor (N, 2) to probabilities of shape (N, 1).

train(model, X, y) -> list of float
    model (LabMLP) を、X (形 (N, 2) の float32) と y (0 と 1 が入った形 (N, 1) の
    float32) で、二値交差エントロピーを損失関数にして学習させます (model 自体を更新
    します)。最適化手法・学習率・エポック数は自分で決めてください。エポックごとの損失を
    float のリストで返します。遅い CPU でも数秒で終わるようにしてください (Adam なら、
    全データを 1 回に使って 500 エポックほどで十分です)。
    Train `model` (a LabMLP, trained in place) on X: float32 (N, 2) and y: float32
    (N, 1) of 0s and 1s, with binary cross entropy. Choose the optimizer, learning
    rate and number of epochs yourself. Return the loss of every epoch as a list of
    floats. Keep it quick: a few seconds on a slow CPU (about 500 epochs over the
    whole data at once are enough with Adam).

チェックは毎回、直線では分けられないデータ (2 つの三日月、二重の円、XOR のどれか) を
新しく作り、決まったシードから作ったあなたのモデルを学習させ、学習に使わなかった
テスト点で正解率を測ります。
The checks generate new data on every run, two moons, two circles or XOR, that no
straight line can separate, train your model from a fixed seed, and measure its
accuracy on test points it never saw.

Check it with: dltutor check 4.5
"""

import torch
from torch import nn


class LabMLP(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module, then the layers 2 -> 15 -> 1 and the activations
        raise NotImplementedError

    def forward(self, x):
        # TODO: Linear -> ReLU -> Linear -> sigmoid
        raise NotImplementedError


def train(model, X, y):
    # TODO: a loss function for probabilities, an optimizer over model.parameters()
    # TODO: every epoch: zero_grad -> forward -> loss -> backward -> step; keep loss.item()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-nonlinear.py
    # XOR: x1 と x2 の符号が同じところがクラス 1 / class 1 where x1 and x2 have the same sign
    torch.manual_seed(0)
    X = torch.randn(200, 2)
    y = (X[:, :1] * X[:, 1:] > 0).float()
    model = LabMLP()
    losses = train(model, X, y)
    print("loss", losses[0], "->", losses[-1])
    with torch.no_grad():
        print("accuracy", ((model(X) > 0.5).float() == y).float().mean().item())
