"""演習 2.2 nn.Linear(1, 1) で直線を当てはめる / Exercise 2.2: fit a line with nn.Linear(1, 1)

fit_line(x, y) -> (model, losses)
    x, y は形 (N,) の NumPy の float64 配列で、直線 y = a x + b の近くにある点です
    (a, b とノイズはチェックのたびに新しく決まります)。nn.Linear(1, 1) を
    nn.MSELoss と torch.optim.SGD(model.parameters(), lr=0.1) で 300 エポック学習させます。
    全データを一度に使うので、1 エポック = 1 回の更新です。各エポックは
    zero_grad → 順伝播 → 損失 → backward → step の順です。
    学習したモデルと、エポックごとの損失 (Python の float) のリスト losses を返します。
    x, y: NumPy float64 arrays of shape (N,): points near a line y = a x + b
          (the check draws a and b, and the noise, anew on every run).
    Train an nn.Linear(1, 1) on them with nn.MSELoss and
    torch.optim.SGD(model.parameters(), lr=0.1) for 300 epochs. Use all the data
    at once: one epoch = one update. Every epoch runs
        zero_grad -> forward -> loss -> backward -> step.
    Return the trained model and `losses`, a list with the loss (a Python float)
    of every epoch.

学習後は model.weight が傾き a、model.bias が切片 b になっているはずです。
After training, model.weight is the slope a and model.bias the intercept b.

Check it with: dltutor check 2.2
"""

import numpy as np
import torch
from torch import nn


def fit_line(x, y):
    # TODO: float32 tensors of shape (N, 1) from x and y (NumPy arrays are float64!)
    # TODO: the model nn.Linear(1, 1), the loss nn.MSELoss(), the optimizer SGD with lr=0.1
    # TODO: 300 epochs of zero_grad -> forward -> loss -> backward -> step, recording loss.item()
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 02-fit-line.py
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=100)
    y = 1.5 * x - 2.0 + rng.normal(0, 0.3, size=100)
    model, losses = fit_line(x, y)
    print("a =", model.weight.item(), "b =", model.bias.item())   # about 1.5 and -2.0
    print("loss:", losses[0], "->", losses[-1])
