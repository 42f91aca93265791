"""演習 4.7 表形式データの回帰を MLP で: 標準化から早期終了まで / Exercise 4.7: a regression MLP on a table, from scaling to early stopping

The lab's housing regression, the whole way: a table of 8 features per row (a
district's income, house age, rooms, bedrooms, population, occupancy, latitude,
longitude) and its house price, as float64 NumPy arrays like scikit-learn's
California housing: X (N, 8) and y (N,). The checks generate such a table on
every run (the real one must be downloaded; the tutor works offline).
教材の住宅価格の回帰を最初から最後まで書きます。データは 1 行に 8 個の特徴 (地区の
所得、築年数、部屋数、寝室数、人口、世帯人数、緯度、経度) とその地区の住宅価格が
並んだ表で、scikit-learn の California housing と同じく float64 の NumPy 配列
X (形 (N, 8)) と y (形 (N,)) です。チェックは毎回このような表を生成して使います
(本物のデータはダウンロードが必要ですが、dltutor はネットワークなしで動くからです)。

Write four functions. / 次の 4 つの関数を書いてください。

prepare(X_train, y_train, X_val, y_val, batch_size) -> (train_loader, val_loader, mean, std)
    Turn the arrays into float32 tensors, the targets of shape (N, 1). mean and
    std: float32 tensors (8,), the mean and the standard deviation of every
    feature (column) of the TRAINING features alone (X.std(dim=0) computes it).
    Standardize the training AND the validation features with them, (X - mean) / std;
    leave the targets as they are. train_loader: a DataLoader of
    TensorDataset(features, targets) with batch_size and shuffle=True;
    val_loader: the same for the validation data (no shuffling needed).
    配列を float32 のテンソルにし、正解は形 (N, 1) にします。mean と std は、
    訓練データの特徴 (列) ごとの平均と標準偏差 (形 (8,) の float32 のテンソル。
    X.std(dim=0) と同じ計算) で、訓練データだけから求めます。訓練データの特徴も
    検証データの特徴も、この値で (X - mean) / std と標準化します。正解はそのままです。
    train_loader は TensorDataset(特徴, 正解) の DataLoader (batch_size、shuffle=True)、
    val_loader は検証データの同じもの (シャッフルは不要) です。

make_model() -> nn.Module
    The lab's 8-100-100-1 MLP: nn.Linear(8, 100) -> ReLU -> nn.Linear(100, 100)
    -> ReLU -> nn.Linear(100, 1), no activation after the output (11,101 parameters).
    教材と同じ 8-100-100-1 の MLP、nn.Linear(8, 100) → ReLU → nn.Linear(100, 100)
    → ReLU → nn.Linear(100, 1) です。出力のあとに活性化関数は付けません
    (パラメータは 11,101 個)。

train(model, train_loader, val_loader, max_epochs, patience, lr=1e-3) -> (train_losses, val_losses, best_epoch)
    nn.MSELoss and torch.optim.Adam(model.parameters(), lr=lr). Every epoch (at most max_epochs):
      1. model.train(), then for every mini-batch: zero_grad -> forward -> loss -> backward -> step
      2. model.eval(), and under torch.no_grad() the validation loss: the mean
         squared error over ALL samples of val_loader
      3. a validation loss lower than the best so far is an improvement: keep
         it, its epoch and a COPY of model.state_dict(). After `patience` epochs
         in a row without improvement, stop (early stopping).
    Then load the best state_dict back into the model. Return train_losses (the
    mean training loss of every epoch trained), val_losses (the validation loss
    of every epoch trained) and best_epoch (counted from 0).
    nn.MSELoss と torch.optim.Adam(model.parameters(), lr=lr) で学習します。各エポック
    (最大 max_epochs エポック) では、
      1. model.train() のあと、ミニバッチごとに zero_grad → 順伝播 → 損失 → backward → step
      2. model.eval() のあと、torch.no_grad() の中で検証損失 (val_loader の全サンプル
         についての平均二乗誤差) を求める
      3. それまでの最小値より小さい検証損失を「改善」とし、その値とエポックと
         model.state_dict() のコピーを取っておく。改善しないエポックが patience 回
         続いたら、そこで学習をやめる (早期終了)
    最後に、最良の state_dict をモデルに読み込みます。train_losses (学習した
    エポックごとの訓練損失の平均)、val_losses (学習したエポックごとの検証損失)、
    best_epoch (0 から数える) を返します。

predict(model, X_new, mean, std) -> torch.Tensor
    Prices (M, 1) float32 for new rows X_new (float64 NumPy (M, 8)): standardize
    them with the TRAINING mean and std given, then the model, in model.eval()
    and under torch.no_grad().
    新しいデータ X_new (形 (M, 8) の float64 の NumPy 配列) の価格の予測 (形 (M, 1)
    の float32) を返します。引数の mean と std (訓練データのもの) で標準化してから、
    model.eval() と torch.no_grad() の中でモデルに通します。

The checks judge each function on inputs they build (their own loaders and
model for train, with their own max_epochs, patience and lr), then run your
four functions together and compare the test error with predicting the mean.
チェックは、それぞれの関数をチェックが用意した入力で調べ (train にはチェックの
DataLoader とモデル、max_epochs、patience、lr を渡します)、最後に 4 つの関数を
つなげて学習したモデルのテストデータでの誤差を、平均で予測した場合と比べます。

Check it with: dltutor check 4.7
"""

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def prepare(X_train, y_train, X_val, y_val, batch_size):
    # TODO: float32 tensors; targets view(-1, 1)
    # TODO: mean and std of the TRAINING features (dim=0); standardize both feature tables with them
    # TODO: the two DataLoaders (shuffle the training one)
    raise NotImplementedError


def make_model():
    # TODO: Linear(8, 100) -> ReLU -> Linear(100, 100) -> ReLU -> Linear(100, 1)
    raise NotImplementedError


def train(model, train_loader, val_loader, max_epochs, patience, lr=1e-3):
    # TODO: the loss function and the optimizer
    # TODO: each epoch: train (model.train()), then validate (model.eval(), torch.no_grad())
    # TODO: keep a copy of the best state_dict; stop after `patience` epochs without improvement
    # TODO: load the best state_dict back
    raise NotImplementedError


def predict(model, X_new, mean, std):
    # TODO: float32, standardize with the given mean and std, then the model under eval() and no_grad()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 07-tabular.py
    import numpy as np

    def housing(rng, n):
        """A housing-like table (synthetic): 8 features on very different scales, a price in $100,000s."""
        income = rng.lognormal(np.log(3.5), 0.45, n)
        age = rng.integers(1, 53, n).astype(np.float64)
        rooms = 4.0 + 0.4 * income + rng.normal(0.0, 0.8, n)
        bedrooms = rng.normal(1.05, 0.08, n)
        population = rng.lognormal(np.log(1200.0), 0.6, n)
        occupancy = rng.normal(2.9, 0.6, n)
        lat, lon = rng.uniform(32.6, 41.9, n), rng.uniform(-124.3, -114.3, n)
        coast = np.exp(-((lat - 34.1) ** 2 + (lon + 118.3) ** 2) / 1.5) + 0.9 * np.exp(-((lat - 37.7) ** 2 + (lon + 122.2) ** 2) / 0.8)
        price = 0.4 * income + 1.6 * coast + 0.008 * age - 0.15 * (occupancy - 2.9) + rng.normal(0.0, 0.3, n)
        return np.stack([income, age, rooms, bedrooms, population, occupancy, lat, lon], axis=1), price

    rng = np.random.default_rng(0)
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = housing(rng, 2000), housing(rng, 500), housing(rng, 500)
    train_loader, val_loader, mean, std = prepare(X_train, y_train, X_val, y_val, 100)
    torch.manual_seed(0)
    model = make_model()
    train_losses, val_losses, best_epoch = train(model, train_loader, val_loader, 100, 5, 1e-3)
    for epoch, (tr, va) in enumerate(zip(train_losses, val_losses)):
        print(epoch, round(tr, 4), round(va, 4))
    print("best epoch:", best_epoch)
    pred = predict(model, X_test, mean, std)
    print("test MSE:", float(((pred.view(-1) - torch.tensor(y_test, dtype=torch.float32)) ** 2).mean()),
          "predicting the mean:", float(np.var(y_test)))
