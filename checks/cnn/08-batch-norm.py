"""Hidden checks for exercise 6.8 (batch normalization by hand; predicting in evaluation mode).

The references are torch's own F.batch_norm, bound before the student's code
runs; the running statistics the student updates are compared with the ones
F.batch_norm leaves in copies of the same buffers.
"""

import torch
import torch.nn.functional as F
from torch import nn

from tutor.checkkit import check

_batch_norm = F.batch_norm
_is_grad_enabled = torch.is_grad_enabled


def _inputs(t, shape):
    c = shape[1]
    x = t.randn(*shape) * t.uniform(1.5, 3.0) + t.uniform(2.0, 6.0)
    gamma, beta = 1 + 0.5 * t.randn(c), t.randn(c)
    rm, rv = t.randn(c), 0.5 + torch.rand(c, generator=t.gen)
    return x, gamma, beta, rm, rv


def _call(t, x, gamma, beta, rm, rv, training, momentum, name):
    used = []

    def spy(*args, **kwargs):
        used.append(1)
        return _batch_norm(*args, **kwargs)

    F.batch_norm = spy
    try:
        got = t.call("batch_norm", x.clone(), gamma.clone(), beta.clone(), rm, rv, training, momentum, 1e-5)
    finally:
        F.batch_norm = _batch_norm
    t.expect(not used,
             ja=f"`{name}` の中で `F.batch_norm` (または `nn.BatchNorm*`) を使っています。この演習では計算を自分で書いてください。",
             en=f"`{name}` uses `F.batch_norm` (or `nn.BatchNorm*`). In this exercise, write the computation yourself.")
    return got


def _judge_training(t, shape):
    x, gamma, beta, rm0, rv0 = _inputs(t, shape)
    momentum = t.rng.choice([0.1, 0.2, 0.05])
    name = f"batch_norm(x of shape {shape}, ..., training=True, momentum={momentum})"
    rm, rv = rm0.clone(), rv0.clone()
    got = _call(t, x, gamma, beta, rm, rv, True, momentum, name)
    erm, erv = rm0.clone(), rv0.clone()
    want = _batch_norm(x, erm, erv, gamma, beta, True, momentum, 1e-5)
    dims = [d for d in range(x.dim()) if d != 1]
    view = [1, shape[1]] + [1] * (x.dim() - 2)
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        unbiased = gamma.view(view) * (x - x.mean(dims, keepdim=True)) / torch.sqrt(x.var(dims, keepdim=True) + 1e-5) + beta.view(view)
        t.mistake(bool(torch.allclose(got, unbiased, atol=1e-5)) and not bool(torch.allclose(got, want, atol=1e-5)),
                  ja=f"`{name}` が不偏分散 (n - 1 で割る) で正規化しています。訓練時の正規化には標本分散 (n で割る、`unbiased=False`) を使い、不偏分散は running_var の更新にだけ使います。",
                  en=f"`{name}` normalizes with the unbiased variance (divided by n - 1). Training normalizes with the biased one (divided by n, `unbiased=False`); the unbiased one only goes into running_var.")
        if x.dim() == 4:
            per_pixel = gamma.view(view) * (x - x.mean(0, keepdim=True)) / torch.sqrt(x.var(0, unbiased=False, keepdim=True) + 1e-5) + beta.view(view)
            t.mistake(bool(torch.allclose(got, per_pixel, atol=1e-5)),
                      ja=f"`{name}` が平均と分散をバッチの次元 (dim=0) だけで求めていて、画素ごとの統計量になっています。BatchNorm2d の統計量はチャネルごとに、N、H、W の 3 つの次元について求めます (`dim=(0, 2, 3)`)。",
                      en=f"`{name}` takes the mean and variance over the batch dimension (dim=0) only, a statistic per pixel. BatchNorm2d's statistics are per channel, over N, H and W together (`dim=(0, 2, 3)`).")
    t.tensor(got, want, name=name, atol=1e-4, rtol=1e-4)
    t.expect(not torch.equal(rm, rm0),
             ja=f"`{name}` のあとも、渡した running_mean が変わっていません。`running_mean = ...` と代入すると関数の中の名前が変わるだけなので、`running_mean.mul_(...).add_(...)` や `running_mean.copy_(...)` でその場で更新してください。",
             en=f"After `{name}` the running_mean passed in has not changed. `running_mean = ...` only rebinds a name inside your function: update it in place with `running_mean.mul_(...).add_(...)` or `running_mean.copy_(...)`.")
    mean = x.mean(dims)
    t.mistake(bool(torch.allclose(rm, momentum * rm0 + (1 - momentum) * mean, atol=1e-5)) and momentum != 0.5,
              ja=f"running_mean の更新で momentum が逆になっています。PyTorch の momentum は新しいミニバッチの重みです: (1 - momentum) * running_mean + momentum * mean。",
              en="The running_mean update has momentum the wrong way round. PyTorch's momentum is the weight of the new mini-batch: (1 - momentum) * running_mean + momentum * mean.")
    t.tensor(rm, erm, name=f"running_mean after {name}", atol=1e-5, rtol=1e-4)
    biased = (1 - momentum) * rv0 + momentum * x.var(dims, unbiased=False)
    t.mistake(bool(torch.allclose(rv, biased, atol=1e-6)) and not bool(torch.allclose(biased, erv, atol=1e-6)),
              ja="running_var が標本分散 (n で割る) で更新されています。PyTorch は running_var を不偏分散 (n - 1 で割る) で更新します。",
              en="running_var is updated with the biased variance (divided by n). PyTorch updates running_var with the unbiased one (divided by n - 1).")
    t.tensor(rv, erv, name=f"running_var after {name}", atol=1e-5, rtol=1e-4)


@check(ja="訓練時 (N, C): ミニバッチの統計量で正規化し、移動平均をその場で更新", en="training, (N, C): normalize with the mini-batch's statistics, update the running ones in place")
def training_2d(t):
    _judge_training(t, (t.rng.randint(6, 12), t.rng.randint(2, 5)))


@check(ja="訓練時 (N, C, H, W): チャネルごとに N、H、W について", en="training, (N, C, H, W): per channel, over N, H and W")
def training_4d(t):
    _judge_training(t, (t.rng.randint(3, 6), t.rng.randint(2, 4), t.rng.randint(3, 5), t.rng.randint(3, 5)))


@check(ja="評価時: 移動平均の統計量で正規化し、それを変えない", en="evaluation: normalize with the running statistics and leave them alone")
def evaluation(t):
    x, gamma, beta, rm0, rv0 = _inputs(t, (t.rng.randint(4, 9), 3, 4, 4))
    name = "batch_norm(x, ..., training=False)"
    rm, rv = rm0.clone(), rv0.clone()
    got = _call(t, x, gamma, beta, rm, rv, False, 0.1, name)
    want = _batch_norm(x, rm0.clone(), rv0.clone(), gamma, beta, False, 0.1, 1e-5)
    batch = _batch_norm(x, rm0.clone(), rv0.clone(), gamma, beta, True, 0.1, 1e-5)
    t.mistake(isinstance(got, torch.Tensor) and got.shape == batch.shape and bool(torch.allclose(got, batch, atol=1e-5)),
              ja=f"`{name}` がミニバッチの平均と分散で正規化しています。評価時は running_mean と running_var を使うので、出力はミニバッチの中身に左右されません。",
              en=f"`{name}` normalizes with the mini-batch's mean and variance. Evaluation uses running_mean and running_var, so an output does not depend on the rest of the mini-batch.")
    t.tensor(got, want, name=name, atol=1e-4, rtol=1e-4)
    t.expect(torch.equal(rm, rm0) and torch.equal(rv, rv0),
             ja=f"`{name}` が running_mean や running_var を変えています。評価時には更新しません。",
             en=f"`{name}` changed running_mean or running_var. Evaluation does not update them.")


@check(ja="`predict`: 評価モードで、計算グラフを作らずに出力する", en="`predict`: outputs in evaluation mode, without a graph")
def predicting(t):
    torch.manual_seed(t.seed)
    model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 2))
    with torch.no_grad():
        for _ in range(5):
            model(t.randn(16, 4) * 2 + 1)       # some training steps' worth of running statistics
    bn = model[1]
    saved = (bn.running_mean.clone(), bn.running_var.clone())
    x = t.randn(5, 4) * 2 + 1
    grads = []
    handle = model.register_forward_hook(lambda m, i, o: grads.append(_is_grad_enabled()))
    try:
        try:
            got = t.call("predict", model, x[:1].clone())
        except ValueError as exc:
            if "Expected more than 1 value per channel" in str(exc):
                t.fail(ja=f"`predict(model, サンプル 1 つ)` でエラーになりました ({exc})。モデルが訓練モードのままで、バッチ正規化が 1 つのサンプルからミニバッチの分散を求めようとしています。`model.eval()` を呼んでください。",
                       en=f"`predict(model, one sample)` raised an error ({exc}): the model is still in training mode, and batch normalization tries to take a mini-batch variance of one sample. Call `model.eval()`.")
            raise
        many = t.call("predict", model, x.clone())
    finally:
        handle.remove()
    t.expect(torch.equal(bn.running_mean, saved[0]) and torch.equal(bn.running_var, saved[1]),
             ja="`predict` のあとで、バッチ正規化の running_mean や running_var が変わっています。モデルが訓練モードのまま計算すると、予測のたびに移動平均が更新されます。`model.eval()` を呼んでください。",
             en="After `predict` the running_mean or running_var of the batch normalization changed: a model in training mode updates them on every prediction. Call `model.eval()`.")
    t.expect(not any(grads),
             ja="`predict` が勾配を記録したまま (計算グラフを作りながら) モデルを計算しています。`with torch.no_grad():` の中で計算してください。",
             en="`predict` runs the model with gradients on, building a graph. Compute inside `with torch.no_grad():`.")
    model.eval()
    with torch.no_grad():
        want = model(x)
    t.tensor(got, want[:1], name="predict(model, one sample)", atol=1e-5)
    t.tensor(many, want, name="predict(model, x)", atol=1e-5)
