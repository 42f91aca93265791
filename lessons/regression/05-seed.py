"""演習 2.5 乱数シードを固定して結果を再現する / Exercise 2.5: fix the seeds to reproduce a run

set_seed(seed) -> None
    学習で使う乱数をすべて seed から始めます。環境変数 PYTHONHASHSEED (文字列で)、
    Python の random、NumPy の np.random、PyTorch のシードを固定し、
    PyTorch の決定的なアルゴリズムを有効にします。
    Make every random source of a training run start from `seed`:
    the environment variable PYTHONHASHSEED (as a string), Python's random,
    NumPy's np.random and PyTorch; and switch on PyTorch's deterministic algorithms.

train_once(seed, features, sales) -> nn.Module
    features は形 (N, 3) の float32 テンソル (標準化した TV・ラジオ・新聞の広告費)、
    sales は形 (N, 1) の float32 テンソルです。最初に set_seed(seed) を呼び、
    そのあとで nn.Linear(3, 1)、TensorDataset(features, sales) の DataLoader
    (batch_size=16, shuffle=True)、torch.optim.SGD(model.parameters(), lr=0.01) を作って、
    nn.MSELoss で 2 エポック学習し、モデルを返します。同じ seed で 2 回呼んだら
    まったく同じモデルに、違う seed なら違うモデルになるようにしてください。
    features: a float32 tensor (N, 3) (standardized TV, radio, newspaper spend),
    sales: a float32 tensor (N, 1).
    Call set_seed(seed) first, then build an nn.Linear(3, 1), a DataLoader of
    TensorDataset(features, sales) with batch_size=16 and shuffle=True, and
    torch.optim.SGD(model.parameters(), lr=0.01); train 2 epochs with nn.MSELoss
    and return the model. Two calls with the same seed must return exactly the
    same model; another seed gives another model.

Check it with: dltutor check 2.5
"""

import os
import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def set_seed(seed):
    # TODO: PYTHONHASHSEED, random, numpy, torch
    # TODO: PyTorch's deterministic algorithms (a function: call it)
    raise NotImplementedError


def train_once(seed, features, sales):
    # TODO: set_seed first, then the model, the DataLoader and the optimizer
    # TODO: 2 epochs of mini-batch training; return the model
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 05-seed.py
    features = torch.randn(100, 3)
    sales = features @ torch.tensor([[1.2], [0.8], [0.05]]) + 0.3 * torch.randn(100, 1)
    a = train_once(42, features, sales)
    b = train_once(42, features, sales)
    c = train_once(7, features, sales)
    print(a.weight.data, b.weight.data, c.weight.data, sep="\n")
    print("same seed, same model:", torch.equal(a.weight, b.weight))
