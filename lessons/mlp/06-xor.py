"""演習 4.6 AND・OR・XOR と 2-2-1 のネットワーク / Exercise 4.6: AND, OR, XOR and a 2-2-1 network

入力は (0, 0)、(0, 1)、(1, 0)、(1, 1) の 4 つ (形 (4, 2) の float32 の X)、正解は
2 つの入力の AND、OR、XOR のどれか (0 と 1 が入った形 (4, 1) の float32 の y) です。
The four inputs (0, 0), (0, 1), (1, 0), (1, 1) as float32 X (4, 2); the targets
y (4, 1) float32 of 0s and 1s: AND, OR or XOR of the two inputs.

クラスを 2 つと関数を 1 つ書いてください。
Write two classes and a function.

class SingleLayer(nn.Module)
    SingleLayer() (引数なし) は nn.Linear(2, 1) のあとにシグモイド関数をかけるモデルで、
    forward(x) は (N, 2) を確率 (N, 1) にします。パラメータは 3 個です。
    SingleLayer() (no arguments): nn.Linear(2, 1) then a sigmoid; forward(x) maps
    (N, 2) to probabilities (N, 1). 3 parameters.

class TwoLayer(nn.Module)
    TwoLayer() (引数なし) は講義の 2-2-1 のネットワーク、nn.Linear(2, 2) → シグモイド
    関数 → nn.Linear(2, 1) → シグモイド関数です。forward(x) は (N, 2) を (N, 1) に
    します。パラメータは 9 個です。
    TwoLayer() (no arguments): the lecture's 2-2-1 network, nn.Linear(2, 2) ->
    sigmoid -> nn.Linear(2, 1) -> sigmoid; forward(x) maps (N, 2) to (N, 1).
    9 parameters.

train(model, X, y, steps=1000, lr=0.1) -> list of float
    講義と同じように model を学習させます (model 自体を更新します)。損失関数は平均
    二乗誤差 (nn.MSELoss)、最適化手法は torch.optim.Adam(model.parameters(), lr=lr)
    で、4 行を一度に使い、zero_grad → 順伝播 → 損失 → backward → step を steps 回
    繰り返します。各ステップの損失を float のリスト (長さ steps) で返します。
    Train `model` in place as the lecture does: the mean squared error
    (nn.MSELoss), torch.optim.Adam(model.parameters(), lr=lr), all four rows at
    once, `steps` steps of zero_grad -> forward -> loss -> backward -> step.
    Return the loss of every step as a list of floats (length `steps`).

チェックは、あなたの train であなたの SingleLayer を AND と OR で学習させ (4 つとも
正解になること)、次に XOR で学習させます (1 層では 3 つまでしか正解できません)。
最後にあなたの TwoLayer を XOR で学習させます。初期値はチェックが設定します
(2-2-1 のネットワークにとって XOR は難しく、初期値によっては学習が止まってしまうので、
うまくいく初期値を使います)。
The checks train your SingleLayer with your train on AND and on OR (it must get
all four right), then on XOR, where no single layer can get more than three
right; then your TwoLayer on XOR, from initial weights the check sets itself
(XOR is hard for a 2-2-1 network: from some starts it gets stuck, and the check
uses starts that work).

Check it with: dltutor check 4.6
"""

import torch
from torch import nn


class SingleLayer(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module, then nn.Linear(2, 1) and a sigmoid
        raise NotImplementedError

    def forward(self, x):
        # TODO: Linear -> sigmoid
        raise NotImplementedError


class TwoLayer(nn.Module):
    def __init__(self):
        # TODO: set up nn.Module, then nn.Linear(2, 2), nn.Linear(2, 1) and a sigmoid
        raise NotImplementedError

    def forward(self, x):
        # TODO: Linear -> sigmoid -> Linear -> sigmoid
        raise NotImplementedError


def train(model, X, y, steps=1000, lr=0.1):
    # TODO: nn.MSELoss() and torch.optim.Adam(model.parameters(), lr=lr)
    # TODO: `steps` times: zero_grad -> forward -> loss -> backward -> step; keep loss.item()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-xor.py
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    xor = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    for seed in range(5):
        torch.manual_seed(seed)
        model = TwoLayer()
        losses = train(model, X, xor)
        with torch.no_grad():
            print(seed, round(losses[-1], 4), (model(X) > 0.5).float().view(-1).tolist())
