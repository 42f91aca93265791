"""演習 7.2 モデルとミニバッチをデバイスに載せて学習する / Exercise 7.2: train on the device

関数を 1 つ書いてください。
Write one function.

train_epoch(model, optimizer, loader, device) -> list of tensors
    model:     パラメータが CPU にある nn.Module です (作った直後の状態)。
    optimizer: model.parameters() で作ってある最適化手法です。
    loader:    CPU 上のミニバッチ (x, y) を順に返すもの (DataLoader と同じ使い方) です。
               x の形は (B, D)、y の形は (B, 1) で、どちらも float32 です。
    device:    torch.device です ("cpu" でも "cuda" でも、どのデバイスでもかまいません)。
    モデルを `device` に移してから、1 エポック学習させます。ミニバッチごとに x と y を
    `device` に移し、zero_grad → 順伝播 → `nn.MSELoss()` (平均) → backward → step
    の順に実行します。ミニバッチごとの損失を順番どおりに、計算グラフから切り離した
    (`loss.detach()`) 0 次元テンソルのリストにして返します。テンソルは `device` に
    置いたままにして、ループの中で `.item()` や `.cpu()` を呼ばないでください。
    model:     an nn.Module whose parameters are on the CPU (as after construction).
    optimizer: an optimizer already built on model.parameters().
    loader:    an iterable of mini-batches (x, y) on the CPU, like a DataLoader:
               x has shape (B, D) and y shape (B, 1), both float32.
    device:    a torch.device ("cpu", "cuda", ... any device).
    Move the model to `device`, then train it for one epoch: for every
    mini-batch move x and y to `device`, and do zero_grad -> forward ->
    `nn.MSELoss()` (mean) -> backward -> step. Return the loss of every
    mini-batch, in order, as a list of 0-dim tensors cut off from the graph
    (`loss.detach()`), left on `device`: do not call `.item()` or `.cpu()` on
    them inside the loop.

デバイスに依存しない書き方にしてください。関数の中に "cuda" や "cpu" とは書かず、
`device` を使います。チェックは、チューターのデバイスで学習させて参照解と比べる
ほかに、`meta` デバイス (形だけで値をもたないテンソル) でも関数を実行します。
移し忘れたテンソルは CPU に残るので、すぐに分かります。そのため GPU のないマシン
でもチェックできます。
Write the function device-agnostic: never write "cuda" or "cpu" in it, use
`device`. The checks train on the tutor's device and compare with a reference,
and they also run your function with the `meta` device (tensors that have a
shape but no values), where every tensor you forgot to move stays visibly on
the CPU. So it is checked on a machine without a GPU as well.

Check it with: dltutor check 7.2
"""

import torch
from torch import nn


def train_epoch(model, optimizer, loader, device):
    # TODO: move the model to `device` (nn.Module.to moves it in place)
    # TODO: for every (x, y): move both to `device` (assign the result: x = x.to(device))
    # TODO: zero_grad -> forward -> MSE loss -> backward -> step; keep loss.detach()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-train-epoch.py
    from torch.utils.data import DataLoader, TensorDataset

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)
    x = torch.randn(64, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(64, 1)
    loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(5):
        losses = train_epoch(model, optimizer, loader, device)
        print(epoch, torch.stack(losses).mean().item())   # .item() once per epoch, outside the loop
