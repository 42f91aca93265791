"""演習 3.3 1 入力のロジスティック回帰 / Exercise 3.3: logistic regression with one input

Model / モデル:   f(x) = σ(w x + b)   (nn.Linear(1, 1) followed by nn.Sigmoid())

class LogisticRegression1(nn.Module)
    引数なしで作れるクラスです。バイアス付きの nn.Linear(1, 1) を 1 つとシグモイド関数を
    もち、forward(x) は形 (N, 1) の x を形 (N, 1) の確率に変換します。
    LogisticRegression1() takes no arguments. It holds one nn.Linear(1, 1) (with a bias)
    and a sigmoid; forward(x) maps x of shape (N, 1) to probabilities of shape (N, 1).

train(model, x, labels, epochs, lr) -> list of float
    受け取った `model` (形 (N, 1) の確率を返す) をその場で学習します。最適化手法は
    torch.optim.SGD(model.parameters(), lr=lr)、損失関数は nn.BCELoss で、各エポックで
    全データを使って 1 回だけ更新します (zero_grad -> 順伝播 -> 損失 -> backward -> step)。
    エポックごとの損失を `epochs` 個の float のリストで返します。
    x は形 (N, 1) の float32、labels は 0 と 1 が入った形 (N,) の int64 です。
    Train `model` (it returns probabilities of shape (N, 1)) IN PLACE with full-batch
    gradient descent: optimizer torch.optim.SGD(model.parameters(), lr=lr), loss
    nn.BCELoss; each epoch makes exactly one step on all the data
    (zero_grad -> forward -> loss -> backward -> step).
    Return the loss of every epoch as a list of `epochs` floats.
    x: float32 of shape (N, 1). labels: int64 of shape (N,), holding 0 and 1.

threshold(model) -> float
    LogisticRegression1 の予測確率がちょうど 0.5 になる x (1 次元の決定境界) を、
    学習した w と b から求めて返します。
    For a LogisticRegression1, the x where the predicted probability is exactly 0.5
    (the decision boundary in one dimension), from the learned w and b.

チェックは実行ごとにしきい値を決め、x がそれより大きい点を 1 とするデータを作って
学習させ、学習したしきい値を比べます。
The checks draw a threshold per run, label points x > threshold as 1, train your
model and compare the threshold it learned.

Check it with: dltutor check 3.3
"""

import torch
import torch.nn as nn


class LogisticRegression1(nn.Module):
    def __init__(self):
        super().__init__()
        # TODO: one nn.Linear(1, 1) and a sigmoid
        raise NotImplementedError

    def forward(self, x):
        # TODO: w x + b, then the sigmoid
        raise NotImplementedError


def train(model, x, labels, epochs, lr):
    # TODO: targets as float32 of shape (N, 1)
    # TODO: SGD and BCELoss; each epoch: zero_grad -> forward -> loss -> backward -> step
    raise NotImplementedError


def threshold(model):
    # TODO: solve w x + b = 0 for x
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-logistic-1d.py
    torch.manual_seed(0)
    x = torch.rand(80, 1) * 8 - 4
    labels = (x[:, 0] > 1.2).long()
    model = LogisticRegression1()
    losses = train(model, x, labels, 300, 1.0)
    print(losses[0], losses[-1], threshold(model))
