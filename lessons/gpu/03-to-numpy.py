"""演習 7.3 結果を CPU と NumPy に戻す / Exercise 7.3: bring results back to the CPU and NumPy

関数を 2 つ書いてください。
Write two functions.

to_numpy(t) -> numpy.ndarray
    t は、どのデバイス (GPU も) にあってもよい float32 テンソルで、勾配を追跡して
    いるかもしれません。同じ値・形・dtype (float32) の NumPy 配列を返します。
    `t` 自体は変えないこと (呼んだあとも requires_grad はそのままにします)。
    t: a float32 tensor on any device (a GPU too), which may require grad.
    Return a NumPy array with the same values, shape and dtype (float32).
    Leave `t` itself unchanged (it must still require grad afterwards).

predict(model, x) -> numpy.ndarray
    model は nn.Module、x はモデルと同じデバイスにある float32 のバッチです
    (両方とも呼び出す側が移してあります)。x に対するモデルの出力を NumPy 配列
    (float32。当然 CPU 上です) にして返します。勾配は要りません。
    model: an nn.Module; x: a float32 batch on the same device as the model
    (the caller has put both there). Return the model's output for x as a
    NumPy array (float32, on the CPU, of course). No gradients are needed.

NumPy 配列は CPU のメモリにしか置けません。チェックは、このマシンのデバイスにある
テンソルのほかに、CUDA のテンソルのようにふるまうテンソル (`device='cuda:0'` と
名乗り、本物の GPU のテンソルと同じように `.numpy()` を断ります) も渡すので、
GPU のないマシンでもチェックできます。
A NumPy array can only live in CPU memory. The checks give your functions
tensors on this machine's device, and tensors that behave like CUDA tensors
(they say `device='cuda:0'` and `.numpy()` refuses them just as for a real GPU
tensor), so it is checked on a machine without a GPU too.

Check it with: dltutor check 7.3
"""

import numpy as np
import torch
from torch import nn


def to_numpy(t):
    # TODO: cut t off the graph, copy it to the CPU, then make it a NumPy array
    raise NotImplementedError


def predict(model, x):
    # TODO: the model's output for x, without gradients, as a NumPy array
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-to-numpy.py
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    w = torch.randn(2, 3, device=device, requires_grad=True)
    print(to_numpy(w))
    model = nn.Linear(3, 2).to(device)
    print(predict(model, torch.randn(4, 3, device=device)))
