"""Hidden checks for exercise 3.3 (logistic regression with one input)."""

import copy

import torch
import torch.nn as nn

from tutor.checkkit import TrainWatch, check, expect_trained
from _training import _LossProbe, _probe_mistakes, _the_linear, _training_error  # checks/logistic/_training.py

# Bound before any student code runs.
_sigmoid = torch.sigmoid
_bce = torch.nn.functional.binary_cross_entropy
_allclose = torch.allclose


def _floats(t, got, name, count):
    """The recorded losses: a list of `count` plain floats (`loss.item()`), as the stub asks."""
    values = t.floats(got, name=name)
    t.expect(len(values) == count,
             ja=f"`{name}` の長さが {len(values)} です。エポックごとに 1 つずつ、{count} 個の損失を記録してください。",
             en=f"`{name}` has {len(values)} values: record {count}, one loss per epoch.")
    return values


def _model_output(t, model, layer, x, name):
    """The model's output must be σ(w x + b) of its own nn.Linear, shape (N, 1)."""
    with torch.no_grad():
        got = model(x)
        u = layer(x).double()
    plain = t.shape(got, (x.shape[0], 1), name=name)
    p = plain.double()
    t.mistake(bool(_allclose(p, u, atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` がシグモイド関数を通していない値 (w x + b そのもの) になっています。forward の最後で `nn.Sigmoid()` を通して、出力を 0 から 1 の確率にしてください。",
              en=f"`{name}` is w x + b itself, with no sigmoid: pass it through `nn.Sigmoid()` at the end of forward so the output is a probability between 0 and 1.")
    t.mistake(bool(_allclose(p, _sigmoid(_sigmoid(u)), atol=1e-5, rtol=1e-4)),
              ja=f"`{name}` はシグモイド関数を 2 回かけた値になっています。値が 0.5 から 0.73 の間にしか入りません。forward の中でシグモイド関数を 1 回だけ通してください。",
              en=f"`{name}` has the sigmoid applied twice: its values only span 0.5 to 0.73. Apply the sigmoid exactly once in forward.")
    t.tensor(got, _sigmoid(u).float(), name=name, atol=1e-5, rtol=1e-4)


def _as_float(value):
    """A number or one-element float tensor as a float; None for anything else."""
    if type(value) is torch.Tensor and value.numel() == 1 and value.is_floating_point():
        return float(value.detach().reshape(()).item())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _data(t, n, c):
    x = torch.rand(n, 1, generator=t.gen) * 8 - 4
    labels = (x[:, 0] > c).long()
    return x, labels


def _reference_losses(model, x, labels, epochs, lr, zero_grad=True):
    y = labels.float().view(-1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        if zero_grad:
            opt.zero_grad()
        loss = _bce(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def _allclose_list(a, b, rtol=1e-3, atol=1e-5):
    return len(a) == len(b) and all(abs(p - q) <= atol + rtol * abs(q) for p, q in zip(a, b))


@check(ja="LogisticRegression1: nn.Linear(1, 1) とシグモイド関数", en="LogisticRegression1: nn.Linear(1, 1) and a sigmoid")
def model_output(t):
    torch.manual_seed(t.seed)
    model = t.call("LogisticRegression1")
    layer = _the_linear(t, model, "LogisticRegression1()", 1)
    n_params = sum(p.numel() for p in model.parameters())
    t.expect(n_params == 2,
             ja=f"`LogisticRegression1()` のパラメータが {n_params} 個になっています。重み 1 個とバイアス 1 個の 2 個にしてください。",
             en=f"`LogisticRegression1()` has {n_params} parameters where 2 are expected: one weight and one bias.")
    n = t.rng.randint(10, 30)
    x = t.randn(n, 1) * 3
    _model_output(t, model, layer, x, f"LogisticRegression1()(x) (x of shape ({n}, 1))")


@check(ja="threshold: 確率が 0.5 になる x", en="threshold: the x where the probability is 0.5")
def threshold_known(t):
    torch.manual_seed(t.seed)
    model = t.call("LogisticRegression1")
    layer = _the_linear(t, model, "LogisticRegression1()", 1)
    w = t.rng.choice([-1, 1]) * round(t.uniform(0.5, 3.0), 3)
    b = t.rng.choice([-1, 1]) * round(t.uniform(0.5, 3.0), 3)
    with torch.no_grad():
        layer.weight.fill_(w)
        layer.bias.fill_(b)
    name = f"threshold(model) for w = {w:g}, b = {b:g}"
    got = t.call("threshold", model)
    value = t.number(got, name=name)
    right = -b / w
    with torch.no_grad():  # another boundary: a threshold that does not move is a constant
        layer.weight.fill_(-2 * w)
        layer.bias.fill_(b / 3)
    other = t.call("threshold", model)
    t.mistake(value == other and abs(right - (-(b / 3) / (-2 * w))) > 1e-3,
              ja=f"`threshold(model)` が w と b を変えても同じ値 ({value:g}) を返します。定数ではなく、学習した w と b から x = -b / w を計算してください。",
              en=f"`threshold(model)` returns the same value ({value:g}) whatever w and b are: do not return a constant, compute x = -b / w from the learned w and b.")
    is_num = value is not None
    t.mistake(is_num and abs(value - b / w) < 1e-4,
              ja=f"`{name}` が b / w = {b / w:.4g} になっています。符号が逆です: w x + b = 0 を解くと x = -b / w です。",
              en=f"`{name}` is b / w = {b / w:.4g}: the sign is wrong. Solving w x + b = 0 gives x = -b / w.")
    t.mistake(is_num and (abs(value + w / b) < 1e-4 or abs(value - w / b) < 1e-4),
              ja=f"`{name}` が w / b の形になっています。w x + b = 0 を x について解くと、x = -b / w です (分子と分母が逆です)。",
              en=f"`{name}` has the form w / b: solving w x + b = 0 for x gives x = -b / w (numerator and denominator are swapped).")
    t.scalar(got, right, name=name, atol=1e-4, rtol=1e-4)


@check(ja="train: SGD でエポックごとに全データで 1 ステップ、損失は BCE", en="train: one full-batch SGD step per epoch with the BCE loss")
def train_steps(t):
    torch.manual_seed(t.seed)
    model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
    reference = copy.deepcopy(model)
    piled = copy.deepcopy(model)
    c = t.rng.choice([-1, 1]) * t.uniform(0.5, 1.5)
    n = t.rng.randint(40, 80)
    x, labels = _data(t, n, c)
    epochs = t.rng.randint(20, 40)
    lr = round(t.uniform(0.3, 1.0), 2)
    name = f"train(model, x, labels, epochs={epochs}, lr={lr})"
    expected = _reference_losses(reference, x, labels, epochs, lr)
    wrong = _reference_losses(piled, x, labels, epochs, lr, zero_grad=False)
    try:
        with _LossProbe() as probe, TrainWatch() as watch:
            got = t.call("train", model, x.clone(), labels.clone(), epochs, lr)
    except (RuntimeError, ValueError) as exc:
        _training_error(t, exc, name)
    _probe_mistakes(t, probe, name)
    expect_trained(t, watch, name=name, optimizer="SGD", lr=lr, model=model, exact=True, steps=epochs,
                   steps_what=(f"{epochs} エポック (1 エポック = 全データで 1 回の更新) ", f"{epochs} epochs of one full-batch step each"))
    losses = _floats(t, got, name, epochs)
    t.mistake(_allclose_list(losses, wrong) and not _allclose_list(wrong, expected),
              ja=f"`{name}` の損失の変化は、勾配を毎回足し込んだときのものです。各ステップの最初に `optimizer.zero_grad()` を呼んでいますか。",
              en=f"`{name}`: the losses are those of gradients piling up step after step. Call `optimizer.zero_grad()` at the start of every step (you forgot zero_grad).")
    t.expect(abs(losses[0] - expected[0]) <= 1e-5 + 1e-4 * expected[0],
             ja=f"`{name}` の最初の損失が {losses[0]:.6g} になっていますが、正しくは {expected[0]:.6g} です。最初のエポックの損失は、更新する前のモデルに対する二値交差エントロピー (平均) です。",
             en=f"`{name}`: the first loss is {losses[0]:.6g} but should be {expected[0]:.6g}, the mean binary cross entropy of the model before any update.")
    t.expect(_allclose_list(losses, expected),
             ja=f"`{name}` の損失の変化が期待と違います (最後が {losses[-1]:.6g}、期待は {expected[-1]:.6g})。各エポックで全データを使って `zero_grad` → 順伝播 → 損失 → `backward` → `step` を 1 回ずつ行い、学習率は引数の `lr` を使ってください。",
             en=f"`{name}`: the losses differ from the expected ones (last {losses[-1]:.6g}, expected {expected[-1]:.6g}). In each epoch do `zero_grad` -> forward -> loss -> `backward` -> `step` once on all the data, with the learning rate `lr` you were given.")
    for (pname, p), q in zip(model.named_parameters(), reference.parameters()):
        t.expect(bool(_allclose(p.detach(), q.detach(), atol=1e-4, rtol=1e-3)),
                 ja=f"`{name}` のあと、渡したモデルのパラメータ `{pname}` が期待した値になっていません。`train` は引数で受け取ったモデルそのものを学習してください (新しいモデルを作らない)。",
                 en=f"After `{name}`, the parameter `{pname}` of the model passed in is not what it should be: `train` must train the very model it receives (do not create a new one).")


def _draw(t, losses, model, x, labels):
    """Figures of the student's run: the loss per epoch, and the points (x, label) with the
    learned probability curve σ(w x + b) (never fails)."""
    t.plot_line("loss", ja="エポックごとの損失", en="loss per epoch", lines={"loss": losses},
                x_label=("エポック", "epoch"), y_label=("損失", "loss"))
    curve = None
    try:
        grid = torch.linspace(-4, 4, 81).view(-1, 1)
        with torch.no_grad():
            curve = (grid.reshape(-1), model(grid).reshape(-1))
    except Exception:
        pass  # not a model we can run: show the points alone
    t.plot_points("fit", ja="データと学習したシグモイド曲線", en="data and the learned sigmoid",
                  x=x.reshape(-1), y=labels.float(), classes=labels, fit=curve, x_label=("x", "x"), y_label=("確率", "probability"))


@check(ja="全体: ランダムなしきい値のデータを学習して境界を見つける", en="all together: learn data with a random threshold and find it")
def end_to_end(t):
    c = t.rng.choice([-1, 1]) * t.uniform(0.8, 1.8)
    n = 80
    x, labels = _data(t, n, c)
    torch.manual_seed(t.seed)
    model = t.call("LogisticRegression1")
    layer = _the_linear(t, model, "LogisticRegression1()", 1)
    name = "train(LogisticRegression1(), x, labels, epochs=300, lr=1.0)"
    try:
        with _LossProbe() as probe:
            got = t.call("train", model, x.clone(), labels.clone(), 300, 1.0)
    except (RuntimeError, ValueError) as exc:
        _training_error(t, exc, name)
    _draw(t, got, model, x, labels)
    _probe_mistakes(t, probe, name)
    losses = _floats(t, got, name, 300)
    t.decreased(losses, name=name, factor=0.5)
    w, b = float(layer.weight.detach().reshape(())), float(layer.bias.detach().reshape(()))
    thr = t.call("threshold", model)
    value = t.number(thr, name="threshold(model) after training")
    t.mistake(value is not None and abs(value - b / w) < 1e-4 and abs(b / w) > 1e-3,
              ja=f"学習後の `threshold(model)` が b / w = {b / w:.4g} になっています。符号が逆です: w x + b = 0 を解くと x = -b / w です。",
              en=f"After training, `threshold(model)` is b / w = {b / w:.4g}: the sign is wrong. Solving w x + b = 0 gives x = -b / w.")
    t.scalar(thr, -b / w, name="threshold(model) after training", atol=1e-4, rtol=1e-4)
    t.expect(abs(-b / w - c) < 0.6,
             ja=f"学習したしきい値が {-b / w:.3f} ですが、データを作ったしきい値は {c:.3f} です (許容差 0.6)。損失関数と学習の手順を見直してください。",
             en=f"The learned threshold is {-b / w:.3f} but the data was made with threshold {c:.3f} (tolerance 0.6). Review the loss and the training steps.")
    grid = torch.linspace(-4, 4, 401).view(-1, 1)
    with torch.no_grad():
        acc = float(((model(grid)[:, 0] > 0.5) == (grid[:, 0] > c)).float().mean())
    t.expect(acc >= 0.9,
             ja=f"学習したモデルの正解率が {acc:.1%} になっています。90% 以上にしてください。",
             en=f"The trained model's accuracy is {acc:.1%}; it should be at least 90%.")
