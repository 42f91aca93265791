"""Hidden checks for exercise 2.4 (keep the best model on validation data).

The check watches the model while the student's loop runs: a forward pre-hook
records, for every call, whether it saw the validation data, the model's mode
(`training`), whether autograd was on, and (for validation calls) a copy of the
parameters. From these it recomputes each epoch's validation loss, finds the
best epoch itself, and compares the model the student leaves behind with the
parameters of that epoch.

The data are built so that the validation loss has its minimum well before the
last epoch: the training targets carry an extra term in one small feature that
the validation targets lack, so after a few epochs the model starts to fit
something that does not hold on the validation data (as in overfitting).
"""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tutor.checkkit import ZeroGradWatch, check

# Bound before any student code runs.
_load_state_dict = nn.Module.load_state_dict
_is_grad_enabled = torch.is_grad_enabled
_equal = torch.equal

FEATURES = 8
EPOCHS = 12
LR = 0.04


class _LoadWatch:
    """Within the block, count `load_state_dict` calls on the watched model."""

    def __init__(self, model):
        self.model = model
        self.loads = 0

    def __enter__(self):
        watch = self

        def load(module, *args, **kwargs):
            if module is watch.model:
                watch.loads += 1
            return _load_state_dict(module, *args, **kwargs)

        nn.Module.load_state_dict = load
        return self

    def __exit__(self, *exc):
        nn.Module.load_state_dict = _load_state_dict
        return False


def _data(t):
    """A housing-like table with 8 standardized features; training targets carry a
    spurious term in feature 7 that the validation targets do not have."""
    rng = np.random.default_rng(t.rng.randrange(2**32))
    w = rng.normal(size=FEATURES)
    w[7] = 0.0
    b = rng.uniform(-1.0, 1.0)

    def make(n, spurious):
        x = rng.normal(size=(n, FEATURES))
        x[:, 7] *= 0.3
        y = x @ w + b + rng.normal(0.0, 0.1, n) + spurious * 2.0 * x[:, 7]
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32).view(-1, 1)

    return make(160, 1.0), make(40, 0.0)


def _state(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _run(t):
    """Run the student's loop on the check's data and model; return what was seen."""
    (xt, yt), (xv, yv) = _data(t)
    torch.manual_seed(t.seed)
    model = nn.Linear(FEATURES, 1)
    train_loader = DataLoader(TensorDataset(xt, yt), batch_size=16, shuffle=True)
    val_loader = DataLoader(TensorDataset(xv, yv), batch_size=len(xv), shuffle=False)
    events = []

    def pre(module, inputs):
        x = inputs[0] if inputs else None
        is_val = isinstance(x, torch.Tensor) and tuple(x.shape) == tuple(xv.shape) and _equal(x.detach(), xv)
        events.append({"val": is_val, "training": module.training, "grad": _is_grad_enabled(),
                       "state": _state(module) if is_val else None})

    handle = model.register_forward_pre_hook(pre)
    try:
        with ZeroGradWatch() as grads, _LoadWatch(model) as loads:
            got = t.call("train_with_validation", model, train_loader, val_loader, EPOCHS, LR)
    finally:
        handle.remove()
    return {"got": got, "events": events, "model": model, "xv": xv, "yv": yv, "zero": grads, "loads": loads.loads}


def _val_loss(state, xv, yv):
    probe = nn.Linear(FEATURES, 1)
    _load_state_dict(probe, state)
    with torch.no_grad():
        return float(((probe(xv).double() - yv.double()) ** 2).mean())


def _blocks(events):
    """The parameters seen at each validation pass (consecutive validation calls form one pass)."""
    states, last_val = [], False
    for e in events:
        if e["val"]:
            if last_val:
                states[-1] = e["state"]
            else:
                states.append(e["state"])
        last_val = e["val"]
    return states


def _unpack(t, got):
    name = "train_with_validation(...)"
    t.expect(isinstance(got, (tuple, list)) and len(got) == 3,
             ja=f"`{name}` は (train_losses, val_losses, best_epoch) の 3 つを返すはずです。",
             en=f"`{name}` should return three values: (train_losses, val_losses, best_epoch).")
    train_losses, val_losses, best = got
    for nm, values in (("train_losses", train_losses), ("val_losses", val_losses)):
        t.expect(isinstance(values, (list, tuple)),
                 ja=f"`{nm}` はエポックごとの損失 (数値) のリストのはずですが、{type(values).__name__} です。",
                 en=f"`{nm}` should be a list of the loss (a number) of each epoch but is a {type(values).__name__}.")
        t.equal(len(values), EPOCHS, name=f"len({nm}) for epochs={EPOCHS}")
    t.expect(isinstance(best, int) and not isinstance(best, bool),
             ja=f"`best_epoch` は整数 (0 から数えたエポック番号) のはずですが、{type(best).__name__} です。",
             en=f"`best_epoch` should be an int (the epoch's number counted from 0) but is a {type(best).__name__}.")
    return train_losses, [float(v) for v in val_losses], best


@check(ja="検証は `model.eval()` と `torch.no_grad()` の中で行う", en="validation runs under `model.eval()` and `torch.no_grad()`")
def validation_mode(t):
    run = _run(t)
    events = run["events"]
    t.mistake(run["zero"].never_zeroed,
              ja="`backward()` を呼ぶたびに前のミニバッチの勾配が残っていました。勾配をゼロに戻し忘れています (zero_grad のし忘れ)。ミニバッチごとに `optimizer.zero_grad()` を呼んでください。",
              en="Every `backward()` found the previous mini-batch's gradient still there: you forgot to zero grad. Call `optimizer.zero_grad()` for every mini-batch.")
    val = [e for e in events if e["val"]]
    t.expect(bool(val),
             ja="検証データでモデルを一度も計算していません。各エポックの最後に val_loader のデータで損失を求めてください。",
             en="The model never ran on the validation data. At the end of every epoch compute the loss on the data of val_loader.")
    t.mistake(any(e["grad"] for e in val),
              ja="検証データでの計算が勾配を記録したまま (with gradients on) 行われています。検証では勾配は要らないので、`with torch.no_grad():` の中で計算してください。計算グラフを作らない分、メモリも時間も節約できます。",
              en="The validation pass ran with gradients on. Validation needs no gradients: compute it inside `with torch.no_grad():`, which also saves the memory and time of building the graph.")
    t.mistake(any(e["training"] for e in val),
              ja="検証のときにモデルが訓練モードのままです。検証の前に `model.eval()` を呼んでください。ドロップアウトやバッチ正規化のように、訓練と評価で動きが変わる層があるからです。",
              en="The model is still in training mode during validation. Call `model.eval()` before validating: layers such as dropout and batch normalization behave differently when training and when evaluating.")
    train = [e for e in events if not e["val"] and e["grad"]]  # the forwards of training steps
    t.mistake(any(not e["training"] for e in train),
              ja="2 エポック目以降の訓練が評価モードのまま行われています。`model.eval()` のあとは、次のエポックの訓練の前に `model.train()` で訓練モードに戻してください。",
              en="From the second epoch on, training runs in evaluation mode. After `model.eval()`, switch back with `model.train()` before the next epoch's training.")
    t.equal(len(_blocks(events)), EPOCHS, name=f"the number of validation passes in {EPOCHS} epochs")


def _draw(t, run):
    """Figures of the student's run: training and validation loss per epoch, and the kept
    model's predictions on the validation data against the truth (never fails)."""
    got = run["got"]
    if isinstance(got, (tuple, list)) and len(got) == 3:
        t.plot_line("loss", ja="訓練データと検証データの損失", en="training and validation loss",
                    lines={"loss": got[0], "val_loss": got[1]}, x_label=("エポック", "epoch"), y_label=("損失", "loss"))
    try:
        truth = run["yv"].reshape(-1)
        with torch.no_grad():
            pred = run["model"](run["xv"]).reshape(-1)
        ends = torch.stack([truth.min(), truth.max()])
    except Exception:
        return
    t.plot_points("fit", ja="検証データの正解と予測", en="validation: true vs predicted",
                  x=truth, y=pred, fit=(ends, ends), fit_name="y = x", x_label=("正解", "true"), y_label=("予測", "predicted"))


@check(ja="エポックごとの損失の記録", en="the losses recorded for every epoch")
def recorded_losses(t):
    run = _run(t)
    _draw(t, run)
    train_losses, val_losses, best = _unpack(t, run["got"])
    states = _blocks(run["events"])
    t.equal(len(states), EPOCHS, name=f"the number of validation passes in {EPOCHS} epochs")
    t.decreased(list(train_losses), name="train_losses", factor=0.5)
    expected = [_val_loss(s, run["xv"], run["yv"]) for s in states]
    for e, (got, want) in enumerate(zip(val_losses, expected)):
        t.mistake(abs(got - want * len(run["xv"])) < 1e-3 * want * len(run["xv"]) and abs(got - want) > 1e-3 * want,
                  ja=f"`val_losses[{e}]` が検証データの平均二乗誤差の {len(run['xv'])} 倍 (データ数倍) です。平均にしてください。",
                  en=f"`val_losses[{e}]` is {len(run['xv'])} times (the number of samples times) the mean squared error on the validation data: take the mean.")
        t.scalar(got, want, name=f"val_losses[{e}] (the mean squared error on the validation data after epoch {e})", atol=1e-5, rtol=1e-3)


@check(ja="検証損失が最小のエポックを選び、そのパラメータをモデルに戻す", en="the best epoch is chosen by validation loss and its parameters are loaded back")
def best_state(t):
    run = _run(t)
    train_losses, val_losses, best = _unpack(t, run["got"])
    states = _blocks(run["events"])
    t.equal(len(states), EPOCHS, name=f"the number of validation passes in {EPOCHS} epochs")
    expected = [_val_loss(s, run["xv"], run["yv"]) for s in states]
    want = int(np.argmin(expected))
    t.mistake(best == want + 1,
              ja=f"`best_epoch` が {best} で、1 つずれています。エポックは 0 から数えてください (最初のエポックが 0)。",
              en=f"`best_epoch` is {best}, one too many: count epochs from 0 (the first epoch is 0).")
    t.mistake(best == int(np.argmax(expected)),
              ja=f"`best_epoch` が {best} で、検証損失が最も大きいエポックです。比較の向き (`<` と `>`) を確かめてください。",
              en=f"`best_epoch` is {best}, the epoch with the largest validation loss. Check the direction of your comparison (`<` or `>`).")
    t.equal(best, want, name="best_epoch (the epoch with the lowest validation loss, from 0)")
    final = _state(run["model"])
    same = lambda a, b: all(torch.allclose(a[k], b[k], rtol=0, atol=1e-7) for k in a)
    at_best, at_last = same(final, states[want]), same(final, states[-1])
    t.mistake(at_last and not same(states[want], states[-1]) and run["loads"] > 0,
              ja=f"`load_state_dict` は呼ばれていますが、モデルに残っているのは最後のエポックのパラメータで、最良のエポック {want} のものではありません。`best = model.state_dict()` のように保存すると、中身は学習中のパラメータと同じテンソルを指す参照なので、そのあとの更新で一緒に書き換わってしまいます。`copy.deepcopy(model.state_dict())` でコピーを残してください。",
              en=f"`load_state_dict` was called, but the model holds the last epoch's parameters, not those of the best epoch {want}. Saving with `best = model.state_dict()` keeps a reference to the very tensors being trained, so later updates change it too: keep a copy with `copy.deepcopy(model.state_dict())`.")
    t.mistake(at_last and not same(states[want], states[-1]) and run["loads"] == 0,
              ja=f"学習後のモデルに残っているのは最後のエポックのパラメータです。最良のエポック {want} の `state_dict` を、最後に `model.load_state_dict(...)` でモデルに読み込んでください。",
              en=f"After training the model holds the last epoch's parameters. At the end, load the best epoch's ({want}) `state_dict` into the model with `model.load_state_dict(...)`.")
    t.expect(at_best,
             ja=f"学習後のモデルのパラメータが、検証損失が最小だったエポック {want} のものと一致しません。",
             en=f"After training, the model's parameters are not those of epoch {want}, the one with the lowest validation loss.")
