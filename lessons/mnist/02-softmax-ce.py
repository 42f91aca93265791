"""演習 5.2 ソフトマックス関数と交差エントロピーを手で計算する / Exercise 5.2: softmax and cross entropy by hand

z は形 (N, C) のロジット (モデルの生の出力) で、1 行が 1 サンプル、1 列が 1 クラスです。
y は正解のクラス番号で、形 (N,)、値が 0 から C-1 の int64 です。
z: logits (raw scores) of shape (N, C), one row per sample, one column per class.
y: the true classes, int64 of shape (N,), values 0 .. C-1.

次の 3 つの関数を書いてください。
Write three functions.

softmax(z) -> torch.Tensor (N, C)
    各行のソフトマックス関数 p_k = exp(z_k) / Σ_j exp(z_j) です。torch.softmax や
    F.softmax を使わずに、torch.exp や sum、max などで書きます。500 のような大きな
    ロジットでもあふれないようにしてください。
    The softmax of every row: p_k = exp(z_k) / Σ_j exp(z_j). By hand (torch.exp,
    sum, max ...; no torch.softmax / F.softmax). It must not overflow for large
    logits such as 500.

cross_entropy(z, y) -> torch.Tensor (a single value)
    交差エントロピー J = -(1/N) Σ_n log p_{n, y_n} で、F.cross_entropy(z, y) と同じ値に
    なります。F.cross_entropy や F.nll_loss を使わず、backward() ができるようにテンソルの
    演算だけで書きます。ロジットの差が数百あっても有限の値になるようにしてください。
    The cross entropy J = -(1/N) Σ_n log p_{n, y_n}, the same value as
    F.cross_entropy(z, y). By hand (no F.cross_entropy / F.nll_loss), with tensor
    operations so that backward() works, and finite even when the gaps between
    logits are in the hundreds.

cross_entropy_via_nll(z, y) -> torch.Tensor (a single value)
    同じ値を、講義のコードと同じ 2 段階 (F.log_softmax のあとに F.nll_loss) で求めます。
    The same value in the lecture's two steps: F.log_softmax, then F.nll_loss.

Check it with: dltutor check 5.2
"""

import torch
import torch.nn.functional as F


def softmax(z):
    # TODO: subtract each row's maximum, exp, divide by the row sums
    raise NotImplementedError


def cross_entropy(z, y):
    # TODO: log-softmax of each row without log(softmax); pick the true class of each row; mean; sign
    raise NotImplementedError


def cross_entropy_via_nll(z, y):
    # TODO: F.log_softmax over the classes, then F.nll_loss
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-softmax-ce.py
    z = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    y = torch.tensor([0, 1])
    print(softmax(z), softmax(z).sum(dim=1))
    print(cross_entropy(z, y), cross_entropy_via_nll(z, y), F.cross_entropy(z, y))
    print(softmax(z * 1000))
