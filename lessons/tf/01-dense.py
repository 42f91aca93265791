"""演習 8.1 Keras の Dense 層の重みを nn.Linear に移す / Exercise 8.1: Keras Dense weights in a torch nn.Linear

次の 2 つの関数を書いてください。
Write two functions.

dense_to_linear(kernel, bias) -> nn.Linear
    kernel は Keras の `Dense(out)` 層のカーネル (`layer.get_weights()[0]`) で、
    形は (in, out) の NumPy 配列です。ふつうは float32 ですが、float64 のこともあります。
    bias は形 (out,) の NumPy 配列 (`layer.get_weights()[1]`) です。
    Keras の層は形 (N, in) の x に対して y = x @ kernel + bias を計算します。
    これと同じ出力を計算する float32 の `nn.Linear(in, out)` を返してください。
    kernel: a NumPy array of shape (in, out), the kernel of a Keras `Dense(out)` layer
            (`layer.get_weights()[0]`); usually float32, but it may be float64.
    bias:   a NumPy array of shape (out,) (`layer.get_weights()[1]`).
    Return a float32 `nn.Linear(in, out)` that computes the same outputs as the Keras
    layer, which computes  y = x @ kernel + bias  for x of shape (N, in).

mlp_from_keras(weights) -> nn.Module
    weights は Dense 層だけからなる Keras の Sequential モデルの `model.get_weights()`
    で、[kernel0, bias0, kernel1, bias1, ...] の順に並んだリストです。最後以外の層は
    activation="relu"、最後の層には活性化関数がありません。
    同じ出力を計算する PyTorch のモジュール (nn.Sequential など) を返してください。
    weights: the list `model.get_weights()` of a Keras Sequential made of Dense layers:
             [kernel0, bias0, kernel1, bias1, ...]. Every layer but the last has
             activation="relu"; the last one has no activation.
    Return a torch module (e.g. nn.Sequential) that computes the same outputs.

チェックは毎回新しい重みを作り、あなたの層の出力を Keras の計算結果と比べます。
TensorFlow は必要ありません。
The checks draw new Keras weights on every run and compare your layers' outputs with
what Keras computes. No TensorFlow is needed.

Check it with: dltutor check 8.1
"""

import numpy as np
import torch
from torch import nn


def dense_to_linear(kernel, bias):
    # TODO: an nn.Linear with the right sizes
    # TODO: copy the kernel into .weight (mind the layout!) and the bias into .bias, as float32
    raise NotImplementedError


def mlp_from_keras(weights):
    # TODO: one nn.Linear per (kernel, bias) pair, nn.ReLU() between them (not after the last)
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-dense.py
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(3, 2)).astype(np.float32)   # Keras layout (in, out)
    bias = np.array([0.5, -1.0], dtype=np.float32)
    x = rng.normal(size=(4, 3)).astype(np.float32)
    print("Keras would give:\n", x @ kernel + bias)
    layer = dense_to_linear(kernel, bias)
    print("your nn.Linear:\n", layer(torch.from_numpy(x)))
