"""Hidden checks for exercise 2.1 (mean squared error by hand and with nn.MSELoss)."""

import torch
from torch import nn

from tutor.checkkit import check

# By hand means none of these (called, imported under another name, or in the autograd graph).
LIBRARY = ("torch.nn.functional.mse_loss", "torch.nn.MSELoss")
NODES = ("MseLossBackward0",)


def _shapes(t):
    n = t.rng.randint(5, 40)
    return [(n,), (n, 1), (t.rng.randint(2, 6), t.rng.randint(2, 6))]


def _call_mse(t, pred, target, name):
    got = t.by_hand("mse", pred, target, library=LIBRARY, nodes=NODES)
    t.mistake(isinstance(got, (int, float)) and not isinstance(got, bool),
              ja=f"`{name}` が Python の数値を返しています (`item()` でしょうか)。損失はテンソルのまま返してください。数値にすると `backward()` で勾配を求められません。",
              en=f"`{name}` returns a Python number (from `item()`?). Return the loss as a tensor: a plain number cannot `backward()`.")
    return got


def _judge_mse(t, got, pred, target, name):
    p, y = pred.detach().double(), target.detach().double()
    expected = ((y - p) ** 2).mean()
    plain = t.shape(got, (), name=name) if not (isinstance(got, torch.Tensor) and got.numel() == 1) else got.detach().reshape(())
    value = plain.double()
    n = p.numel()
    if bool(torch.isclose(value, expected, rtol=1e-4, atol=1e-6)):
        return  # right; the mistakes below could coincide with it only by accident
    t.mistake(bool(torch.isclose(value, expected * n, rtol=1e-4, atol=1e-6)),
              ja=f"`{name}` が正しい値のちょうど {n} 倍 (N 倍) です。2 乗誤差を足しただけで、データ数 N で割っていません。平均二乗誤差は和を N で割った平均です。",
              en=f"`{name}` is exactly {n} (N) times the right value: you summed the squared errors but did not divide by N. The mean squared error is the sum divided by N (the mean).")
    t.mistake(bool(torch.isclose(value, expected.sqrt(), rtol=1e-4, atol=1e-6)),
              ja=f"`{name}` が平均二乗誤差の平方根 (RMSE) になっています。平方根はとりません。",
              en=f"`{name}` is the square root of the mean squared error (the RMSE). Do not take the square root.")
    t.mistake(bool(torch.isclose(value, (y - p).abs().mean(), rtol=1e-4, atol=1e-6)),
              ja=f"`{name}` が差の絶対値の平均になっています。差は絶対値ではなく 2 乗してください。",
              en=f"`{name}` is the mean of the absolute differences. Square the differences instead of taking their absolute value.")
    t.mistake(t.close(value, expected / n) and n > 1,
              ja=f"`{name}` が正しい値のちょうど 1/{n} です。N で 2 回割っています。`mean()` はすでに和をデータ数 N で割った平均です。",
              en=f"`{name}` is exactly 1/{n} of the right value: you divided by N twice. `mean()` is already the sum divided by N.")
    total = float(((y - p) ** 2).sum())
    k = total / float(value) if float(value) > 0 else 0.0
    t.mistake(abs(k - round(k)) < 1e-4 * k and round(k) not in (n, 1) and round(k) > 1,
              ja=f"`{name}` は 2 乗誤差の和を {round(k)} で割った値ですが、要素数 (データ数 N) は {n} です。和は要素数 (`numel()`) で割ってください。",
              en=f"`{name}` is the sum of the squared errors divided by {round(k)}, but there are {n} elements: divide by the number of elements (`numel()`).")
    t.mistake(bool(torch.isclose(value, expected / 2, rtol=1e-4, atol=1e-6)),
              ja=f"`{name}` が正しい値のちょうど半分です。1/2 を付けない J = (1/N) Σ (y_n - f(x_n))^2 を計算してください。",
              en=f"`{name}` is exactly half the right value. Compute J = (1/N) Σ (y_n - f(x_n))^2, without a factor 1/2.")
    t.tensor(plain, expected.float(), name=name, atol=1e-5, rtol=1e-4, dtype=False)


@check(ja="手で計算した平均二乗誤差 (いろいろな形)", en="the mean squared error by hand (several shapes)")
def mse_values(t):
    for shape in _shapes(t):
        pred, target = t.randn(*shape) * 2, t.randn(*shape) * 2 + 0.5
        name = f"mse(pred, target) for shape {tuple(shape)}"
        got = _call_mse(t, pred, target, name)
        _judge_mse(t, got, pred, target, name)


@check(ja="手で計算した値が `nn.MSELoss()` と一致する", en="the value by hand equals `nn.MSELoss()`")
def mse_equals_library(t):
    n = t.rng.randint(10, 60)
    pred, target = t.randn(n, 1) * 3, t.randn(n, 1)
    name = f"mse(pred, target) for shape ({n}, 1)"
    got = _call_mse(t, pred, target, name)
    _judge_mse(t, got, pred, target, name)
    t.tensor(got, nn.MSELoss()(pred, target), name=f"{name} vs nn.MSELoss()", dtype=False)


@check(ja="`mse` から `backward()` で勾配が求まる", en="`backward()` through `mse` gives the gradient")
def mse_gradient(t):
    n = t.rng.randint(5, 30)
    pred = (t.randn(n, 1) * 2).requires_grad_(True)
    target = t.randn(n, 1)
    name = f"mse(pred, target) for shape ({n}, 1)"
    got = _call_mse(t, pred, target, name)
    t.expect(isinstance(got, torch.Tensor) and got.requires_grad,
             ja=f"`{name}` の結果から勾配をたどれません。途中で `item()` や `detach()`、`torch.tensor(...)` で作り直していませんか。pred から計算したテンソルをそのまま返してください。",
             en=f"The result of `{name}` is not connected to pred's gradient. Did you use `item()`, `detach()` or rebuild it with `torch.tensor(...)`? Return the tensor computed from pred as it is.")
    t.expect(got.numel() == 1,
             ja=f"`{name}` の形が {tuple(got.shape)} になっています。要素が 1 つのテンソルにしてください。全体の平均をとってください。",
             en=f"`{name}` should have one element but has shape {tuple(got.shape)}: take the mean over everything.")
    got.reshape(()).backward()
    t.gradient(pred.grad, 2 * (pred.detach() - target) / n, name="pred.grad")


def _model(t):
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.copy_(t.randn(1, 1) * 2)
        model.bias.copy_(t.randn(1))
    return model


@check(ja="モデルの出力 (N,1) と目標値 (N,) の損失", en="the loss of a model output (N,1) against targets (N,)")
def model_loss_value(t):
    n = t.rng.randint(8, 50)
    model = _model(t)
    x = t.randn(n, 1) * 2
    with torch.no_grad():
        out = model(x)
    y = (out[:, 0] + t.randn(n) * 0.5 + 0.3).detach()      # shape (N,), like a column of a table
    expected = ((out[:, 0] - y) ** 2).mean()
    broadcast = ((out - y.view(1, -1)) ** 2).mean()        # what (N,1) against (N,) computes
    got = t.call("model_loss", model, x, y.clone())
    name = f"model_loss(model, x of shape ({n}, 1), y of shape ({n},))"
    t.mistake(isinstance(got, torch.Tensor) and got.shape == (n, n),
              ja=f"`{name}` の形が ({n}, {n}) です。出力 ({n}, 1) と目標値 ({n},) の差をとると、ブロードキャストで (N,N) の行列になります。`y.view(-1, 1)` などで形をそろえてから計算してください。",
              en=f"`{name}` has shape ({n}, {n}): subtracting targets ({n},) from outputs ({n}, 1) broadcasts to an (N,N) matrix. Make the shapes match first, e.g. with `y.view(-1, 1)`.")
    t.mistake(isinstance(got, (int, float)) and not isinstance(got, bool),
              ja=f"`{name}` が Python の数値を返しています。損失はテンソルのまま返してください。",
              en=f"`{name}` returns a Python number. Return the loss as a tensor.")
    t.mistake(isinstance(got, torch.Tensor) and got.numel() == 1
              and bool(torch.isclose(got.detach().double().reshape(()), broadcast.double(), rtol=1e-4, atol=1e-6))
              and not bool(torch.isclose(broadcast, expected, rtol=1e-3)),
              ja=f"`{name}` は、出力 ({n}, 1) と目標値 ({n},) をそのまま `nn.MSELoss` に渡したときの値です。形が違うと、ブロードキャストで (N,N) 個の組み合わせすべての差の平均になってしまいます (警告が出るだけでエラーにはなりません)。目標値を `y.view(-1, 1)` で ({n}, 1) にするか、出力を `squeeze(1)` で ({n},) にしてください。",
              en=f"`{name}` is what you get when outputs ({n}, 1) and targets ({n},) go into `nn.MSELoss` as they are: the shapes differ, so broadcasting averages all (N,N) pairs of differences (only a warning, no error). Make the targets ({n}, 1) with `y.view(-1, 1)`, or the outputs ({n},) with `squeeze(1)`.")
    plain = t.shape(got, (), name=name) if not (isinstance(got, torch.Tensor) and got.numel() == 1) else got.detach().reshape(())
    t.mistake(t.close(plain, (out[:, 0] - y).abs().mean()) and not t.close(expected, (out[:, 0] - y).abs().mean()),
              ja=f"`{name}` は差の絶対値の平均 (L1 損失、`nn.L1Loss`) です。損失は平均二乗誤差 (`nn.MSELoss`) にしてください。",
              en=f"`{name}` is the mean absolute difference (the L1 loss, `nn.L1Loss`): use the mean squared error (`nn.MSELoss`).")
    t.mistake(t.close(plain, ((torch.sigmoid(out[:, 0]) - y) ** 2).mean()),
              ja=f"`{name}` はモデルの出力にシグモイド関数 (sigmoid) をかけてから損失を計算した値です。回帰では出力をそのまま損失に渡してください。",
              en=f"`{name}` is the loss of the sigmoid of the model's output: in regression the outputs go into the loss as they are.")
    t.tensor(plain, expected, name=name, atol=1e-5, rtol=1e-4, dtype=False)


@check(ja="`model_loss` から重みとバイアスの勾配が求まる", en="`model_loss` gives the gradients of weight and bias")
def model_loss_gradient(t):
    n = t.rng.randint(8, 50)
    model = _model(t)
    x = t.randn(n, 1) * 2
    y = (t.randn(n) * 2 + 1).detach()
    w, b = model.weight.detach().clone(), model.bias.detach().clone()
    err = (x[:, 0] * w[0, 0] + b[0]) - y                     # f(x_n) - y_n, shape (N,)
    dw = (2 * err * x[:, 0]).mean().reshape(1, 1)
    db = (2 * err).mean().reshape(1)
    name = "model_loss(model, x, y)"
    got = t.call("model_loss", model, x, y.clone())
    t.expect(isinstance(got, torch.Tensor) and got.requires_grad and got.numel() == 1,
             ja=f"`{name}` の結果から重みの勾配をたどれません。`torch.no_grad()` の中で計算したり、`item()` で数値にしたりせず、モデルの出力から計算した損失をテンソルのまま返してください。",
             en=f"The result of `{name}` is not connected to the weights' gradients. Do not compute it under `torch.no_grad()` or turn it into a number with `item()`: return the loss computed from the model's output, as a tensor.")
    model.zero_grad()
    got.reshape(()).backward()
    t.gradient(model.weight.grad, dw, name="model.weight.grad")
    t.gradient(model.bias.grad, db, name="model.bias.grad")
