"""演習 2.4 検証データで最良のモデルを残す / Exercise 2.4: keep the best model on validation data

train_with_validation(model, train_loader, val_loader, epochs, lr) -> (train_losses, val_losses, best_epoch)
    model は回帰のモデルです (チェックでは 8 列の表に対する nn.Linear を渡します)。
    train_loader, val_loader は (x, y) のミニバッチを返す DataLoader で、y の形は (B, 1) です。
    nn.MSELoss と torch.optim.SGD(model.parameters(), lr=lr) で epochs エポック学習します。
    各エポックでは、
      1. model.train() のあと、train_loader のミニバッチごとに zero_grad → 順伝播 → 損失 → backward → step
      2. model.eval() のあと、torch.no_grad() の中で検証損失 (val_loader の全サンプルについての平均二乗誤差) を求める
      3. それまでで最小の検証損失なら、model.state_dict() のコピーを取っておく
    最後のエポックのあと、最良の state_dict をモデルに読み込みます。
    train_losses (エポックごとの訓練損失の平均)、val_losses (エポックごとの検証損失)、
    best_epoch (検証損失が最小のエポック、0 から数える) を返します。
    model: a regression model (the check gives an nn.Linear for an 8-feature table).
    train_loader, val_loader: DataLoaders of (x, y) mini-batches, y of shape (B, 1).
    Train with nn.MSELoss and torch.optim.SGD(model.parameters(), lr=lr) for `epochs` epochs.
    Every epoch:
      1. model.train(), then for every mini-batch of train_loader:
         zero_grad -> forward -> loss -> backward -> step
      2. model.eval(), and under torch.no_grad() the validation loss: the mean
         squared error over ALL samples of val_loader
      3. if it is the lowest validation loss so far, keep a COPY of model.state_dict()
    After the last epoch, load the best state_dict back into the model.
    Return train_losses (the mean training loss of every epoch), val_losses (the
    validation loss of every epoch) and best_epoch (the epoch with the lowest
    validation loss, counted from 0).

Check it with: dltutor check 2.4
"""

import copy

import torch
from torch import nn


def train_with_validation(model, train_loader, val_loader, epochs, lr):
    # TODO: the loss function and the optimizer
    # TODO: for each epoch: train on train_loader (model.train()),
    #       then the validation loss on val_loader (model.eval() and torch.no_grad())
    # TODO: keep a copy of the best state_dict, and load it back at the end
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-validation.py
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    x = torch.randn(200, 8)
    y = x @ torch.randn(8, 1) + 0.1 * torch.randn(200, 1)
    train_loader = DataLoader(TensorDataset(x[:160], y[:160]), batch_size=16, shuffle=True)
    val_loader = DataLoader(TensorDataset(x[160:], y[160:]), batch_size=20)
    model = nn.Linear(8, 1)
    train_losses, val_losses, best_epoch = train_with_validation(model, train_loader, val_loader, 10, 0.05)
    for epoch, (tr, va) in enumerate(zip(train_losses, val_losses)):
        print(epoch, round(tr, 4), round(va, 4))
    print("best epoch:", best_epoch)
