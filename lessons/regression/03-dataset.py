"""演習 2.3 Dataset・DataLoader・random_split / Exercise 2.3: Dataset, DataLoader and random_split

データは広告費と売上の表 (NumPy の float64、形 (N, 4)) で、列は
TV 広告費、ラジオ広告費、新聞広告費、売上 の順です。
The data is an advertising-like table (NumPy float64, shape (N, 4)); its columns
are the spend on TV, radio and newspaper ads, and the sales:
    TV, radio, newspaper, sales

class AdDataset(torch.utils.data.Dataset)
    表を float32 のテンソルにして持っておきます。len(dataset) は行数 N を返します。
    dataset[i] は (x, y) を返します。x は i 行目の TV・ラジオ・新聞の広告費で形 (3,)、
    y は i 行目の売上で形 (1,) の float32 テンソルです。
    AdDataset(table): keep the table's data as float32 tensors.
    len(dataset) -> N, the number of rows.
    dataset[i] -> (x, y): x is a float32 tensor of shape (3,) (TV, radio, newspaper of row i),
                          y is a float32 tensor of shape (1,) (the sales of row i).

split_dataset(dataset, seed) -> (train, val, test)
    random_split と seed で初期化した generator を使って、訓練・検証・テストデータに
    [0.8, 0.1, 0.1] の割合でランダムに分けます。1 つのサンプルが 2 か所に入ってはいけません。
    同じ seed なら同じ分け方になるようにします。
    Split the dataset at random into training, validation and test data in the
    ratio [0.8, 0.1, 0.1], with random_split and a generator seeded with `seed`.
    No sample may be in two parts; the same seed must give the same split.

make_loaders(train, val, test, batch_size) -> (train_loader, val_loader, test_loader)
    それぞれのデータから batch_size のミニバッチを作る DataLoader を返します。
    訓練用はシャッフルし (エポックごとに順番が変わる)、検証用とテスト用はシャッフルしません。
    A DataLoader with mini-batches of batch_size for each part: the training
    loader shuffles (a new order every epoch); the validation and test loaders
    do not (shuffle=False).

Check it with: dltutor check 2.3
"""

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, random_split


class AdDataset(Dataset):
    def __init__(self, table):
        # TODO: keep x (the first 3 columns) and y (the last column) as float32 tensors
        raise NotImplementedError

    def __len__(self):
        # TODO: the number of samples
        raise NotImplementedError

    def __getitem__(self, i):
        # TODO: (x, y) of sample i, shapes (3,) and (1,)
        raise NotImplementedError


def split_dataset(dataset, seed):
    # TODO: random_split into [0.8, 0.1, 0.1] with a generator seeded with `seed`
    raise NotImplementedError


def make_loaders(train, val, test, batch_size):
    # TODO: three DataLoaders; only the training one shuffles
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-dataset.py
    rng = np.random.default_rng(0)
    tv, radio, news = rng.uniform(0, 300, 200), rng.uniform(0, 50, 200), rng.uniform(0, 100, 200)
    sales = 3 + 0.045 * tv + 0.19 * radio + rng.normal(0, 1.5, 200)
    table = np.stack([tv, radio, news, sales], axis=1)
    dataset = AdDataset(table)
    print(len(dataset), dataset[0])
    train, val, test = split_dataset(dataset, seed=0)
    print(len(train), len(val), len(test))          # 160 20 20
    train_loader, val_loader, test_loader = make_loaders(train, val, test, batch_size=32)
    x, y = next(iter(train_loader))
    print(x.shape, y.shape)                         # torch.Size([32, 3]) torch.Size([32, 1])
    print(len(train_loader), "iterations per epoch")
