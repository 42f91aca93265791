"""演習 8.5 Keras の fit のような学習関数 / Exercise 8.5: a Keras-style fit

Keras では 1 行でモデルを学習させ、その履歴を受け取れます (下のコード)。
この `fit` を、Keras と同じ決まりで PyTorch 用に書いてください。
In Keras one line trains a model and returns its history:
    history = model.fit(x, y, batch_size=32, epochs=10, validation_split=0.2)
    history.history   # {"loss": [...one per epoch...], "val_loss": [...]}
Write this `fit` for PyTorch, with Keras's rules.

fit(model, optimizer, loss_fn, x, y, batch_size=32, epochs=1, validation_split=0.0, shuffle=True) -> dict
    model は nn.Module、optimizer はすでに model のパラメータで作ってある最適化手法
    (Keras なら `compile` で指定するもの) で、そのまま使います。loss_fn は PyTorch の
    損失関数で、loss_fn(予測, 目標値) の順で呼びます。x, y は同じ行数 N の float32 テンソルです。
      1. 検証データは、シャッフルする前のデータの最後の割合です。split = floor(N * (1 - validation_split))
         として、行 [0, split) が訓練用、行 [split, N) が検証用です。validation_split=0 なら検証しません。
      2. 各エポックでは、shuffle=True なら訓練データの行を毎回新しい順番に並べ替え
         (shuffle=False なら先頭から順に)、batch_size 行ずつのミニバッチ (最後は小さくてもよく、
         それも使います) ごとに zero_grad → 順伝播 → 損失 → backward → step を行います。
      3. history["loss"][エポック] は、そのエポックのミニバッチの損失を、それぞれの行数で
         重み付けした平均です (ミニバッチがすべて同じ大きさなら単純な平均と同じ)。
      4. history["val_loss"][エポック] は、そのエポックの学習のあとに測った、検証データ全体の
         損失です (model.eval()、torch.no_grad())。検証しないときは "val_loss" のキーを作りません。
    Python の float を並べた辞書 history を返してください。
    model:     an nn.Module.   optimizer: an optimizer already built for model's parameters
               (what Keras sets with `compile`); use it as it is.
    loss_fn:   a torch loss, called as loss_fn(prediction, target) (torch order).
    x, y:      float32 tensors with the same number of rows N.
    Keras の決まり / Keras's rules:
      1. Validation data is the LAST fraction of the rows, split off BEFORE any shuffling:
         with split = floor(N * (1 - validation_split)), rows [0, split) are for training
         and rows [split, N) for validation. validation_split=0 means no validation.
      2. Every epoch: with shuffle=True a new random order of the training rows
         (shuffle=False: in order); mini-batches of batch_size rows (the last one may be
         smaller, and it is used); for each: zero_grad -> forward -> loss -> backward -> step.
      3. history["loss"][epoch]: the mean of that epoch's mini-batch losses, each weighted
         by its number of rows (= the plain mean when all batches are full).
      4. history["val_loss"][epoch]: after the epoch's training, the loss on all the
         validation rows (model.eval(), torch.no_grad()). No "val_loss" key without validation.
    Return the dict history, holding Python floats.

Check it with: dltutor check 8.5
"""

import math

import torch
from torch import nn


def fit(model, optimizer, loss_fn, x, y, batch_size=32, epochs=1, validation_split=0.0, shuffle=True):
    # TODO: split off the LAST fraction as validation data (before any shuffling)
    # TODO: for each epoch: a new order (if shuffle), mini-batches, zero_grad/forward/loss/backward/step
    # TODO: record the epoch's mean loss (weighted by batch size), then the validation loss
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-fit.py
    torch.manual_seed(0)
    x = torch.randn(100, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(100, 1)
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    history = fit(model, optimizer, nn.MSELoss(), x, y, batch_size=16, epochs=5, validation_split=0.2)
    for key, values in history.items():
        print(key, [round(v, 4) for v in values])
