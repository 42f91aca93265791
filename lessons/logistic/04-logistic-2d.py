"""演習 3.4 2 入力のロジスティック回帰と決定境界 / Exercise 3.4: logistic regression with two inputs and its decision boundary

Model / モデル:   f(x) = σ(w1 x1 + w2 x2 + w0)   (nn.Linear(2, 1) followed by nn.Sigmoid())
Decision boundary / 決定境界:   w1 x1 + w2 x2 + w0 = 0, written as x2 = a x1 + b

class LogisticRegression2(nn.Module)
    引数なしで作れるクラスです。nn.Linear(2, 1) を 1 つとシグモイド関数をもち、
    forward(x) は形 (N, 2) の x を形 (N, 1) の確率に変換します。
    LogisticRegression2() takes no arguments. It holds one nn.Linear(2, 1) and a
    sigmoid; forward(x) maps x of shape (N, 2) to probabilities of shape (N, 1).

boundary(model) -> (a, b)
    LogisticRegression2 の決定境界を直線 x2 = a * x1 + b として、傾き a と切片 b の
    2 つの float で返します (ここでは w2 が 0 になることはありません)。
    For a LogisticRegression2, the decision boundary as the line x2 = a * x1 + b:
    two Python floats, the slope a and the intercept b (w2 is never 0 here).

fit_2d(x, labels) -> LogisticRegression2
    LogisticRegression2 を作り、nn.BCELoss でデータを学習させて返します。最適化手法、
    学習率、エポック数は自由です (全データで SGD、学習率 1.0、500 エポックで十分です)。
    数秒以内に終わるようにしてください。x は両方の座標が [-3, 3] に入る形 (N, 2) の
    float32、labels は 0 と 1 が入った形 (N,) の int64 です。
    Create a LogisticRegression2, train it on the data with nn.BCELoss, and return it.
    You choose the optimizer, the learning rate and the number of epochs (full-batch
    SGD with lr=1.0 for 500 epochs works well). Keep it under a few seconds.
    x: float32 of shape (N, 2), both coordinates in [-3, 3].
    labels: int64 of shape (N,), holding 0 and 1.

チェックは実行ごとに直線を決め、その片側の点を 1 とするデータを作って fit_2d で
学習させ、あなたの境界とその直線を比べます。
The checks draw a line per run, label the points on one side of it as 1, train
with your fit_2d and compare your boundary with that line.

Check it with: dltutor check 3.4
"""

import torch
import torch.nn as nn


class LogisticRegression2(nn.Module):
    def __init__(self):
        super().__init__()
        # TODO: one nn.Linear(2, 1) and a sigmoid
        raise NotImplementedError

    def forward(self, x):
        # TODO: w1 x1 + w2 x2 + w0, then the sigmoid
        raise NotImplementedError


def boundary(model):
    # TODO: read w1, w2 (the weight) and w0 (the bias)
    # TODO: solve w1 x1 + w2 x2 + w0 = 0 for x2 and return (slope, intercept)
    raise NotImplementedError


def fit_2d(x, labels):
    # TODO: targets as float32 of shape (N, 1)
    # TODO: a LogisticRegression2, an optimizer, nn.BCELoss and a training loop
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-logistic-2d.py
    torch.manual_seed(0)
    x = torch.rand(200, 2) * 6 - 3
    labels = (x[:, 1] > 0.5 * x[:, 0] - 0.3).long()   # above the line x2 = 0.5 x1 - 0.3
    model = fit_2d(x, labels)
    print(boundary(model))                              # close to (0.5, -0.3)
