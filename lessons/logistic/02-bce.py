"""演習 3.2 二値交差エントロピーを手で、PyTorch で / Exercise 3.2: binary cross entropy by hand and with PyTorch

Binary cross entropy / 二値交差エントロピー:
    J = -(1/N) Σ_n [ y_n log p_n + (1 - y_n) log(1 - p_n) ]

次の 3 つの関数を書いてください。どれも損失を要素 1 つのテンソル (または float) で返します。
Write three functions. Each returns the loss as a one-element tensor (or a float).

bce(p, y)
    J を `torch.log` を使って手で計算します (`nn.BCELoss` は使いません)。
    p は 0 と 1 の間の確率が入った形 (N,) の float32、y は 0. か 1. のラベルが入った
    形 (N,) の float32 です。
    J BY HAND with `torch.log` (no `nn.BCELoss`).
    p: float32 tensor of shape (N,), probabilities strictly between 0 and 1.
    y: float32 tensor of shape (N,), the labels 0. or 1.
    Example: p = (0.9, 0.2, 0.6), y = (1, 0, 0) -> about 0.4149

bce_torch(p, labels)
    同じ J を `nn.BCELoss` で計算します。labels は 0 と 1 が入った形 (N,) の int64
    (クラスの番号。ラベルはふつうこの形で渡されます) です。
    The same J with `nn.BCELoss`.
    labels: int64 tensor of shape (N,) holding 0 and 1 (class numbers, as labels usually come).

bce_logits(u, labels)
    確率 p = σ(u) に対する J を、ロジット u から数値的に安全な `nn.BCEWithLogitsLoss`
    で計算します。u は任意の実数 (40 のような大きな値も含む) が入った形 (N,) の float32、
    labels は bce_torch と同じです。
    J for the probabilities p = σ(u), computed from the logits u with the numerically
    safe `nn.BCEWithLogitsLoss`. u: float32 tensor of shape (N,), any real numbers
    (some may be large, like 40). labels: as in bce_torch.

Check it with: dltutor check 3.2
"""

import torch
import torch.nn as nn


def bce(p, y):
    # TODO: -(1/N) Σ [y log p + (1 - y) log(1 - p)]
    raise NotImplementedError


def bce_torch(p, labels):
    # TODO: nn.BCELoss; mind the dtype of the labels
    raise NotImplementedError


def bce_logits(u, labels):
    # TODO: nn.BCEWithLogitsLoss on the logits u
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-bce.py
    p = torch.tensor([0.9, 0.2, 0.6])
    print(bce(p, torch.tensor([1.0, 0.0, 0.0])))
    print(bce_torch(p, torch.tensor([1, 0, 0])))
    print(bce_logits(torch.tensor([2.0, -1.0, 40.0]), torch.tensor([1, 0, 0])))
