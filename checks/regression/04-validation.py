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

from tutor.checkkit import TrainWatch, check, expect_first_loss, expect_recorded, expect_trained

# Bound before any student code runs.
_load_state_dict = nn.Module.load_state_dict
_is_grad_enabled = torch.is_grad_enabled
_allclose = torch.allclose

FEATURES = 8
EPOCHS = 12
LR = 0.04
BATCH = 16
VAL_BATCH = 16
"""40 validation rows in batches of 16, 16 and 8: a loss from the last batch alone, or a mean of
the batch means, is not the mean over all samples."""


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


def _rows(x):
    """Each row of x as a tuple, to recognise which data a forward was given."""
    return [tuple(r) for r in x.tolist()]


def _run(t):
    """Run the student's loop on the check's data and model; return what was seen."""
    (xt, yt), (xv, yv) = _data(t)
    torch.manual_seed(t.seed)
    model = nn.Linear(FEATURES, 1)
    train_loader = DataLoader(TensorDataset(xt, yt), batch_size=BATCH, shuffle=True)
    val_loader = DataLoader(TensorDataset(xv, yv), batch_size=VAL_BATCH, shuffle=False)
    val_rows = set(_rows(xv))
    events = []

    def pre(module, inputs):
        x = inputs[0] if inputs else None
        is_val = isinstance(x, torch.Tensor) and x.dim() == 2 and len(x) > 0 and all(r in val_rows for r in _rows(x.detach()))
        events.append({"val": is_val, "training": module.training, "grad": _is_grad_enabled(),
                       "state": _state(module) if is_val else None})

    handle = model.register_forward_pre_hook(pre)
    try:
        with TrainWatch() as watch, _LoadWatch(model) as loads:
            got = t.call("train_with_validation", model, train_loader, val_loader, EPOCHS, LR)
    finally:
        handle.remove()
    return {"got": got, "events": events, "model": model, "xv": xv, "yv": yv, "xt": xt, "yt": yt, "watch": watch,
            "loads": loads.loads}


def _targets(inputs, x, y):
    """The targets of the rows of `inputs`, looked up in the data (x, y)."""
    where = {r: i for i, r in enumerate(_rows(x))}
    return y[[where[r] for r in _rows(inputs[0])]]


def _contract(t, run):
    """The training loop itself: SGD with lr, every epoch over every mini-batch, MSE."""
    name = "train_with_validation(...)"
    watch = run["watch"]
    batches = -(-len(run["xt"]) // BATCH)
    expect_trained(t, watch, name=name, optimizer="SGD", lr=LR, model=run["model"], exact=True, steps=EPOCHS * batches,
                   steps_what=(f"{EPOCHS} エポック × {batches} ミニバッチ", f"{EPOCHS} epochs of {batches} mini-batches"))
    xt, yt = run["xt"], run["yt"]
    expect_first_loss(t, watch, lambda out, inp: ((out - _targets(inp, xt, yt)) ** 2).mean(), name=name,
                      what=("ミニバッチの平均二乗誤差 (`nn.MSELoss`)", "the mean squared error (`nn.MSELoss`) on the mini-batch"),
                      wrong=[(lambda out, inp: (out - _targets(inp, xt, yt)).abs().mean(),
                              f"`{name}` の損失が差の絶対値の平均 (L1 損失、`nn.L1Loss`) です。損失関数は `nn.MSELoss` (平均二乗誤差) にしてください。",
                              f"`{name}` trains with the mean absolute difference (the L1 loss, `nn.L1Loss`): use `nn.MSELoss`, the mean squared error."),
                             (lambda out, inp: ((torch.sigmoid(out) - _targets(inp, xt, yt)) ** 2).mean(),
                              f"`{name}` はモデルの出力にシグモイド関数 (sigmoid) をかけてから損失を計算しています。回帰では出力をそのまま `nn.MSELoss` に渡してください。",
                              f"`{name}` puts the model's output through a sigmoid before the loss: in regression the outputs go into `nn.MSELoss` as they are.")])


def _recorded_train(t, train_losses, recorded):
    """Each train loss must be the mean of that epoch's mini-batch losses, plain or weighted
    by batch size (both are the mean training loss), as the loop computed them."""
    per = len(recorded) // EPOCHS if recorded and len(recorded) % EPOCHS == 0 else 0
    if not per:
        return
    sizes = [min(BATCH, 160 - i * BATCH) for i in range(per)]
    plain = [sum(recorded[e * per:(e + 1) * per]) / per for e in range(EPOCHS)]
    weighted = [sum(v * s for v, s in zip(recorded[e * per:(e + 1) * per], sizes)) / sum(sizes) for e in range(EPOCHS)]
    if not all(t.close(g, w, rtol=1e-3) for g, w in zip(train_losses, weighted)):
        expect_recorded(t, train_losses, plain, name="train_losses",
                        what=("そのエポックのミニバッチの損失 (`loss.item()`) の平均", "the mean of that epoch's mini-batch losses (`loss.item()`)"))


def _weighting(t, got, want, batch_losses, n, e):
    """Name a validation loss whose batches were counted or weighted with a constant."""
    sizes = [min(VAL_BATCH, n - i) for i in range(0, n, VAL_BATCH)]
    total = sum(v * s for v, s in zip(batch_losses, sizes))
    k = total / got if got > 0 else 0.0
    t.mistake(abs(k - round(k)) < 1e-3 * k and round(k) != n and round(k) > 1,
              ja=f"`val_losses[{e}]` は 2 乗誤差の和を {round(k)} で割った値ですが、検証データは {n} 個です。各ミニバッチのサンプル数は `len(inputs)` で数えてください (最後のミニバッチは小さくなります)。",
              en=f"`val_losses[{e}]` is the sum of the squared errors divided by {round(k)}, but there are {n} validation samples: count each mini-batch's samples with `len(inputs)` (the last one is smaller).")
    w = got * n / sum(batch_losses) if sum(batch_losses) > 0 else 0.0
    # A right answer's w is the batch sizes' loss-weighted mean, which may sit near a whole number by chance.
    t.mistake(abs(w - round(w)) < 1e-3 * w and round(w) not in sizes and round(w) > 1 and not t.close(got, want, rtol=1e-4),
              ja=f"`val_losses[{e}]` は、各ミニバッチの損失を {round(w)} 倍して足した値をサンプル数で割っています。重みはそのバッチのサンプル数 `len(inputs)` にしてください (最後のミニバッチは小さくなります)。",
              en=f"`val_losses[{e}]` weights every mini-batch's loss by {round(w)}: weight it by that batch's size, `len(inputs)` (the last one is smaller).")


def _val_batch_losses(state, xv, yv):
    probe = nn.Linear(FEATURES, 1)
    _load_state_dict(probe, state)
    with torch.no_grad():
        return [float(((probe(xv[i:i + VAL_BATCH]).double() - yv[i:i + VAL_BATCH].double()) ** 2).mean())
                for i in range(0, len(xv), VAL_BATCH)]


def _val_loss(state, xv, yv, squash=False):
    probe = nn.Linear(FEATURES, 1)
    _load_state_dict(probe, state)
    with torch.no_grad():
        out = probe(xv).double()
        return float((((torch.sigmoid(out) if squash else out) - yv.double()) ** 2).mean())


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
             ja=f"`{name}` は (train_losses, val_losses, best_epoch) の 3 つを返すようにしてください。",
             en=f"`{name}` should return three values: (train_losses, val_losses, best_epoch).")
    train_losses, val_losses, best = got
    lists = []
    for nm, values in (("train_losses", train_losses), ("val_losses", val_losses)):
        floats = t.floats(values, name=nm)
        t.expect(len(floats) == EPOCHS,
                 ja=f"`{nm}` の長さが {len(floats)} です。{EPOCHS} エポックのそれぞれについて値を 1 つずつ記録してください。",
                 en=f"`{nm}` has {len(floats)} values: record one value for each of the {EPOCHS} epochs.")
        lists.append(floats)
    t.expect(isinstance(best, int) and not isinstance(best, bool),
             ja=f"`best_epoch` が {type(best).__name__} になっています。整数 (0 から数えたエポック番号) にしてください。",
             en=f"`best_epoch` should be an int (the epoch's number counted from 0) but is a {type(best).__name__}.")
    return lists[0], lists[1], best


@check(ja="検証は `model.eval()` と `torch.no_grad()` の中で行う", en="validation runs under `model.eval()` and `torch.no_grad()`")
def validation_mode(t):
    run = _run(t)
    events = run["events"]
    _contract(t, run)
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
    _contract(t, run)
    _recorded_train(t, train_losses, run["watch"].losses)
    t.decreased(list(train_losses), name="train_losses", factor=0.5)
    expected = [_val_loss(s, run["xv"], run["yv"]) for s in states]
    n = len(run["xv"])
    for e, (got, want) in enumerate(zip(val_losses, expected)):
        t.mistake(abs(got - want * n) < 1e-3 * want * n and abs(got - want) > 1e-3 * want,
                  ja=f"`val_losses[{e}]` が検証データの平均二乗誤差の {n} 倍 (データ数倍) です。平均にしてください。",
                  en=f"`val_losses[{e}]` is {n} times (the number of samples times) the mean squared error on the validation data: take the mean.")
        batch_losses = _val_batch_losses(states[e], run["xv"], run["yv"])
        t.mistake(t.close(got, batch_losses[-1], rtol=1e-3) and not t.close(want, batch_losses[-1], rtol=1e-3),
                  ja=f"`val_losses[{e}]` が val_loader の最後のミニバッチだけの損失です。検証損失は全ミニバッチ (全サンプル) についての平均二乗誤差にしてください。",
                  en=f"`val_losses[{e}]` is the loss of the last mini-batch of val_loader alone: the validation loss is the mean squared error over all its mini-batches (all samples).")
        mean_of_means = sum(batch_losses) / len(batch_losses)
        t.mistake(t.close(got, mean_of_means, rtol=1e-3) and not t.close(want, mean_of_means, rtol=1e-3),
                  ja=f"`val_losses[{e}]` がミニバッチごとの損失の単純な平均です。最後のミニバッチは小さいので、各ミニバッチの損失にそのバッチのサイズ (`len(inputs)`) をかけて足し、サンプル数で割ってください。",
                  en=f"`val_losses[{e}]` is the plain mean of the mini-batch losses, but the last mini-batch is smaller: weight each batch's loss by its batch size (`len(inputs)`) and divide by the number of samples.")
        _weighting(t, got, want, batch_losses, n, e)
        t.mistake(t.close(got, _val_loss(states[e], run["xv"], run["yv"], squash=True), rtol=1e-3),
                  ja=f"`val_losses[{e}]` はモデルの出力にシグモイド関数 (sigmoid) をかけてから計算した損失です。回帰では出力をそのまま `nn.MSELoss` に渡してください。",
                  en=f"`val_losses[{e}]` is the loss of the sigmoid of the model's outputs: in regression the outputs go into `nn.MSELoss` as they are.")
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
    same = lambda a, b: all(_allclose(a[k], b[k], rtol=0, atol=1e-7) for k in a)
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
