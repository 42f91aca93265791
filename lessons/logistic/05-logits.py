"""演習 3.5 ロジットを出すモデルと BCEWithLogitsLoss / Exercise 3.5: a model that outputs logits, with BCEWithLogitsLoss

モデルはロジット u = w1 x1 + w2 x2 + w0 を出力し、確率は σ(u) です。
nn.BCEWithLogitsLoss は u を受け取り、中でシグモイド関数を数値的に安全に計算します。
The model outputs the logit u = w1 x1 + w2 x2 + w0; the probability is σ(u).
nn.BCEWithLogitsLoss takes u and computes the sigmoid inside, in a numerically safe way.

class LogitModel(nn.Module)
    引数なしで作れるクラスです。nn.Linear(2, 1) を 1 つもち、forward(x) は形 (N, 2) の
    x を形 (N, 1) のロジットに変換します。シグモイド関数は通しません。
    LogitModel() takes no arguments. It holds one nn.Linear(2, 1); forward(x) maps x
    of shape (N, 2) to the logits of shape (N, 1), WITHOUT a sigmoid.

fit_logits(x, labels) -> LogitModel
    LogitModel を作り、nn.BCEWithLogitsLoss で学習させて返します。最適化手法、学習率、
    エポック数は自由です (全データで SGD、学習率 1.0、300 エポックで十分です)。
    x は形 (N, 2) の float32、labels は 0 と 1 が入った形 (N,) の int64 です。
    Create a LogitModel, train it with nn.BCEWithLogitsLoss and return it. You choose
    the optimizer, learning rate and epochs (full-batch SGD, lr=1.0, 300 epochs works).
    x: float32 of shape (N, 2). labels: int64 of shape (N,), holding 0 and 1.

predict_proba(model, x) -> torch.Tensor
    形 (N, 1) のロジットを返す任意のモデルについて、クラス 1 の確率を形 (N, 1) の
    float32 で返します。
    For any model that returns logits of shape (N, 1): the probabilities of class 1,
    float32 of shape (N, 1).

predict(model, x) -> torch.Tensor
    同じ種類のモデルについて、予測したラベルを形 (N,) の int64 で返します。確率が
    0.5 より大きければ 1、そうでなければ 0 です。
    For the same kind of model: the predicted labels, int64 of shape (N,), 1 where the
    probability is above 0.5 and 0 elsewhere.

チェックは実行ごとに、重なり合う 2 つの点の集まりを作り (直線で完全には分けられません)、
あなたの正解率を直線で達成できる最良の正解率と比べます。
The checks draw two overlapping clouds of points per run (so no line separates
them perfectly) and compare your accuracy with the best a line can do.

Check it with: dltutor check 3.5
"""

import torch
import torch.nn as nn


class LogitModel(nn.Module):
    def __init__(self):
        super().__init__()
        # TODO: one nn.Linear(2, 1), no sigmoid
        raise NotImplementedError

    def forward(self, x):
        # TODO: return the logits
        raise NotImplementedError


def fit_logits(x, labels):
    # TODO: a LogitModel, an optimizer, nn.BCEWithLogitsLoss and a training loop
    raise NotImplementedError


def predict_proba(model, x):
    # TODO: logits -> probabilities, without tracking gradients
    raise NotImplementedError


def predict(model, x):
    # TODO: labels 0/1 as int64 of shape (N,)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-logits.py
    torch.manual_seed(0)
    x = torch.cat([torch.randn(100, 2) + torch.tensor([-1.0, -1.0]), torch.randn(100, 2) + torch.tensor([1.0, 1.0])])
    labels = torch.cat([torch.zeros(100), torch.ones(100)]).long()
    model = fit_logits(x, labels)
    print((predict(model, x) == labels).float().mean())
    print(predict_proba(model, x[:3]))
