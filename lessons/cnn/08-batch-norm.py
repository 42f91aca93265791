"""演習 6.8 バッチ正規化: train() と eval()、移動平均の統計量 / Exercise 6.8: batch normalization: train() and eval(), running statistics

次の 2 つの関数を書いてください。
Write two functions.

batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5) -> torch.Tensor
    nn.BatchNorm1d / nn.BatchNorm2d と同じ計算を手で書きます (F.batch_norm や
    nn.BatchNorm* は使わないこと)。x は形 (N, C) か (N, C, H, W) の float32、gamma、
    beta、running_mean、running_var は形 (C,) の float32 です。統計量はチャネル
    (次元 1) ごとに、ほかのすべての次元について求めます。
    - training=True: ミニバッチの平均と標本分散 (値の個数で割る分散) で正規化し、
      running_mean と running_var を下の式でその場で (in place) 更新します。
      running_var の更新には不偏分散を使います。
    - training=False: running_mean と running_var で正規化し、これらは変えません。
    結果は gamma * (x - mean) / sqrt(var + eps) + beta で、形は x と同じです。
    What nn.BatchNorm1d / nn.BatchNorm2d compute, by hand (no F.batch_norm, no
    nn.BatchNorm*). x: float32 (N, C) or (N, C, H, W); gamma, beta,
    running_mean, running_var: float32 (C,). The statistics are per channel
    (dimension 1), over every other dimension.
    - training=True: normalize with the mini-batch's mean and its BIASED
      variance (divided by the number of values), then update running_mean
      and running_var IN PLACE:
          running_mean = (1 - momentum) * running_mean + momentum * mean
          running_var  = (1 - momentum) * running_var  + momentum * unbiased variance
    - training=False: normalize with running_mean and running_var; do not
      change them.
    The result is gamma * (x - mean) / sqrt(var + eps) + beta, the shape of x.

predict(model, x) -> torch.Tensor
    モデルの評価モードでの出力を、計算グラフを作らずに返します。バッチ正規化は
    移動平均の統計量を使い、それを変えず、サンプルが 1 つでも動きます。
    The model's outputs for x in evaluation mode, without building a graph:
    batch normalization then uses its running statistics, leaves them as they
    are, and works for a single sample too.

Check it with: dltutor check 6.8
"""

import torch


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    # TODO: the dimensions to reduce over: every one except 1 (the channels)
    # TODO: training: batch mean and biased var; update the running statistics in place (under no_grad)
    # TODO: evaluation: the running statistics
    # TODO: reshape mean, var, gamma, beta to broadcast over x: (1, C) or (1, C, 1, 1)
    raise NotImplementedError


def predict(model, x):
    # TODO: evaluation mode, no graph, the outputs
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 08-batch-norm.py
    torch.manual_seed(0)
    x = torch.randn(8, 3) * 2 + 5
    bn = torch.nn.BatchNorm1d(3)
    rm, rv = torch.zeros(3), torch.ones(3)
    mine = batch_norm(x, torch.ones(3), torch.zeros(3), rm, rv, training=True)
    print(torch.allclose(mine, bn(x), atol=1e-5), torch.allclose(rm, bn.running_mean), torch.allclose(rv, bn.running_var))
