"""Hidden checks for exercise 8.5 (a Keras-style `fit` that returns History.history).

The check hands the student's `fit` a model, a real SGD optimizer whose `step`
is counted, and a loss function that records every call (its value, the rows
of `y` it saw, identified by their values, and how many optimizer steps had
been taken). From these it knows which rows were trained on in which order,
which calls were validation, and what each epoch's loss should be.

With `shuffle=False` and a linear model the whole history is also compared
with `_keras_ref.fit_linear_sgd`, which test_tf_facts.py compares with real
Keras `model.fit(...).history` (validation = the last fraction, split off
before shuffling; "loss" = the epoch's batch losses averaged with batch-size
weights; "val_loss" after each epoch; no "val_loss" key without validation).
"""

import math

import numpy as np
import torch
from torch import nn

from tutor.checkkit import TrainWatch, ZeroGradWatch, check, expect_trained
import _keras_ref as keras_ref  # checks/tf/_keras_ref.py

# Bound before any student code runs.
_mse = torch.nn.functional.mse_loss
_no_grad = torch.no_grad
_SGD = torch.optim.SGD
_is_grad_enabled = torch.is_grad_enabled

LR = 0.05


class _Recorder:
    """A loss function (torch order: prediction, target) that records every call."""

    def __init__(self, y, steps, model):
        self.model = model
        self.index = {float(v): i for i, v in enumerate(y.reshape(len(y), -1)[:, 0].tolist())}
        self.width = y.reshape(len(y), -1).shape[1]
        self.steps = steps
        self.calls = []

    def rows(self, tensor):
        if not isinstance(tensor, torch.Tensor) or tensor.dim() == 0:
            return None
        flat = tensor.detach().reshape(len(tensor), -1)
        if flat.shape[1] != self.width:
            return None
        rows = [self.index.get(float(v)) for v in flat[:, 0].tolist()]
        return None if None in rows else rows

    def __call__(self, pred, target):
        loss = _mse(pred, target)
        rows = self.rows(target) or self.rows(pred)
        self.calls.append({"rows": rows, "value": float(loss.detach()), "steps": self.steps[0],
                           "training": self.model.training, "grad": _is_grad_enabled()})
        return loss


def _data(t, n, n_in, n_out):
    x = t.randn(n, n_in)
    w = t.randn(n_in, n_out)
    y = x @ w + 0.3 * t.randn(n, n_out)
    y = y + 1e-4 * torch.arange(n, dtype=torch.float32).view(-1, 1)   # every row's target is distinct
    return x, y


def _split_cases():
    """(n, validation_split) pairs where floor(n * (1 - split)) is exact, so no rounding rule matters."""
    cases = []
    for n in range(40, 101, 10):
        for split in (0.1, 0.2, 0.25, 0.3):
            n_val = round(n * split)
            if abs(n * split - n_val) < 1e-9 and keras_ref.validation_split_index(n, split) == n - n_val:
                cases.append((n, split))
    return cases


def _run(t, model, x, y, **kwargs):
    steps = [0]
    optimizer = _SGD(model.parameters(), lr=LR)
    step = optimizer.step

    def counted_step(*args, **kw):
        steps[0] += 1
        return step(*args, **kw)

    optimizer.step = counted_step
    loss_fn = _Recorder(y, steps, model)
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    name = f"fit(model, optimizer, loss_fn, x {tuple(x.shape)}, y {tuple(y.shape)}, {args})"
    try:
        with ZeroGradWatch() as grads, TrainWatch() as watch:
            got = t.call("fit", model, optimizer, loss_fn, x.clone(), y.clone(), **kwargs)
    except (RuntimeError, KeyError, IndexError, ValueError) as exc:
        _split_error(t, exc, name, kwargs.get("validation_split", 0.0))
    expect_trained(t, watch, name=name, given=optimizer, model=model)
    calls = loss_fn.calls
    for i, c in enumerate(calls):
        nxt = calls[i + 1]["steps"] if i + 1 < len(calls) else steps[0]
        c["train"] = nxt > c["steps"]
    _modes(t, calls, name)
    return got, calls, steps[0], grads, name


def _split_error(t, exc, name, split):
    """An error that a wrong split into training and validation rows explains."""
    if split > 0 or isinstance(exc, KeyError):
        t.fail(ja=f"`{name}` でエラーになりました ({type(exc).__name__}: {exc})。validation_split の扱いを確かめてください: "
                  "split = floor(N * (1 - validation_split)) として行 [0, split) で学習し、行 [split, N) で検証します。validation_split が 0 のときだけ検証しません (\"val_loss\" のキーも作りません)。",
               en=f"`{name}` raised an error ({type(exc).__name__}: {exc}). Check how you use validation_split: with split = floor(N * (1 - validation_split)), "
                  "rows [0, split) train and rows [split, N) validate; only validation_split = 0 means no validation (and no \"val_loss\" key).")
    raise exc


def _modes(t, calls, name):
    """Training steps in training mode; validation under model.eval() and torch.no_grad()."""
    val = [c for c in calls if not c["train"]]
    train = [c for c in calls if c["train"]]
    t.mistake(any(c["training"] for c in val),
              ja=f"`{name}` で、検証の損失を学習モードのまま計算しています。検証の前に `model.eval()` を呼んでください (ドロップアウトやバッチ正規化は学習と評価で動きが変わります)。",
              en=f"`{name}` computes the validation loss in training mode: call `model.eval()` before validating (dropout and batch normalization behave differently in training and evaluation).")
    t.mistake(any(c["grad"] for c in val),
              ja=f"`{name}` で、検証の損失を勾配を記録しながら (with gradients on) 計算しています。検証は `with torch.no_grad():` の中で行ってください。",
              en=f"`{name}` computes the validation loss with gradients on: validate inside `with torch.no_grad():`.")
    t.mistake(any(not c["training"] for c in train),
              ja=f"`{name}` で、`model.eval()` のあとの学習が評価モードのまま行われています。各エポックの学習の前に `model.train()` を呼んでください。",
              en=f"In `{name}` training after `model.eval()` runs in evaluation mode: call `model.train()` before every epoch's training.")


def _history(t, got, name, epochs, with_val):
    t.expect(isinstance(got, dict),
             ja=f"`{name}` が {type(got).__name__} を返しています。辞書 (Keras の `History.history` のような {{\"loss\": [...], \"val_loss\": [...]}}) を返してください。",
             en=f"`{name}` should return a dict (like Keras's `History.history`, {{\"loss\": [...], \"val_loss\": [...]}}) but returned a {type(got).__name__}.")
    keys = ["loss", "val_loss"] if with_val else ["loss"]
    t.mistake(not with_val and "val_loss" in got,
              ja=f"`{name}` は validation_split=0 ですが \"val_loss\" を返しています。Keras の `History.history` は、検証データがないときは \"loss\" だけを持ちます。",
              en=f"`{name}` has a \"val_loss\" entry although validation_split=0. Keras's `History.history` holds only \"loss\" when there is no validation data.")
    t.equal(sorted(got), sorted(keys), name=f"sorted({name}.keys())")
    history = {}
    for key in keys:
        values = got[key]
        t.expect(isinstance(values, list) and len(values) == epochs,
                 ja=f"`{name}[\"{key}\"]` が {epochs} 個の値のリストになっていません。エポックごとに 1 つ、全部で {epochs} 個の値のリストにしてください。",
                 en=f"`{name}[\"{key}\"]` should be a list of {epochs} values, one per epoch.")
        for v in values:
            t.expect(isinstance(v, (int, float)) and not isinstance(v, bool),
                     ja=f"`{name}[\"{key}\"]` に数値でないもの ({type(v).__name__}) が入っています。Keras の履歴は Python の数値のリストです。テンソルなら `.item()` で数値にしてください。",
                     en=f"`{name}[\"{key}\"]` holds a {type(v).__name__}, not a number. Keras's history is lists of Python numbers: use `.item()` on a tensor.")
        history[key] = [float(v) for v in values]
    return history


def _judge_rows(t, calls, steps, grads, name, n, split, batch, epochs, shuffle):
    t.expect(steps > 0,
             ja=f"`{name}` は渡された `optimizer` の `step()` を一度も呼んでいません。Keras の `compile` で決めた最適化手法と同じく、渡された optimizer で更新してください。",
             en=f"`{name}` never calls `step()` on the optimizer it was given. Update the model with that optimizer, as Keras uses the one set in `compile`.")
    t.mistake(grads.never_zeroed,
              ja=f"`{name}` は勾配をゼロに戻していません (zero_grad を忘れている)。`.grad` は `backward()` のたびに足し込まれるので、ミニバッチごとに `optimizer.zero_grad()` を呼んでください。",
              en=f"`{name}` never zeroes the gradients: you forgot `optimizer.zero_grad()`. `.grad` accumulates over `backward()` calls, so call it for every mini-batch.")
    train = [c for c in calls if c["train"]]
    t.expect(all(c["rows"] is not None for c in calls),
             ja=f"`{name}` で loss_fn に渡された目標値が y の行と対応しません。目標値は y の行をそのまま (`y[idx]` のように) 渡してください。",
             en=f"`{name}` passed loss_fn targets that are not rows of y: pass the rows of y as they are (like `y[idx]`).")
    trained = set(r for c in train for r in c["rows"])
    expected_train, n_val = set(range(split)), n - split
    t.mistake(trained == set(range(n_val, n)) and trained != expected_train,
              ja=f"`{name}` は検証データをデータの先頭から取っています。Keras の `validation_split` は、シャッフルする前のデータの最後の割合 (後ろの {n_val} 行) を検証データにします。",
              en=f"`{name}` takes the validation data from the front. Keras's `validation_split` takes the LAST fraction of the data (here the last {n_val} rows), before any shuffling.")
    t.mistake(trained == set(range(n)),
              ja=f"`{name}` は検証データ (後ろの {n_val} 行) でも学習しています。検証データは訓練に使わず、各エポックの終わりに損失を測るだけにします。",
              en=f"`{name}` trains on the validation data (the last {n_val} rows) too. Validation data is never trained on; it is only used to measure the loss after each epoch.")
    t.mistake(len(trained) == split and trained != expected_train,
              ja=f"`{name}` の訓練データが最初の {split} 行ではありません。分ける前にデータ全体をシャッフルしていませんか。Keras はシャッフルの前に、後ろの割合を検証データとして切り離します。",
              en=f"`{name}` does not train on the first {split} rows. Did you shuffle all the data before splitting? Keras splits the last fraction off as validation data before any shuffling.")
    t.expect(trained == expected_train,
             ja=f"`{name}` で訓練に使われた行が、最初の {split} 行と一致しません。split = floor(N * (1 - validation_split)) は、データの行数 N (`len(x)`) から求めてください。",
             en=f"The rows `{name}` trained on are not the first {split} rows: compute split = floor(N * (1 - validation_split)) from the number of rows N (`len(x)`).")
    per_epoch = math.ceil(split / batch)
    t.mistake(len(train) == epochs * (split // batch) and split % batch != 0,
              ja=f"`{name}` は端数のミニバッチ (最後の {split % batch} 行) を捨てています。Keras は最後の小さいミニバッチも使います。",
              en=f"`{name}` drops the last, smaller mini-batch ({split % batch} rows). Keras trains on it too.")
    t.expect(len(train) == epochs * per_epoch,
             ja=f"`{name}` の更新回数が {len(train)} 回になっています。{split} 行をバッチサイズ {batch} で {epochs} エポックなら {epochs * per_epoch} 回にしてください。",
             en=f"`{name}` made {len(train)} updates, but {split} rows in batches of {batch} for {epochs} epochs make {epochs * per_epoch}.")
    epochs_rows = []
    for e in range(epochs):
        block = train[e * per_epoch:(e + 1) * per_epoch]
        rows = [r for c in block for r in c["rows"]]
        t.expect(sorted(rows) == sorted(expected_train) and all(len(c["rows"]) == min(batch, split - i * batch) for i, c in enumerate(block)),
                 ja=f"`{name}` のエポック {e} で、訓練データの各行をちょうど 1 回ずつ、バッチサイズ {batch} のミニバッチで使っていません。",
                 en=f"In epoch {e}, `{name}` does not use every training row exactly once in mini-batches of {batch}.")
        epochs_rows.append(rows)
    if shuffle:
        t.expect(any(rows != sorted(rows) for rows in epochs_rows) and (epochs < 2 or len({tuple(r) for r in epochs_rows}) > 1),
                 ja=f"`{name}` は shuffle=True ですが、訓練データを毎エポック同じ順番で使っています。エポックごとに新しい順番 (`torch.randperm`) にしてください。",
                 en=f"`{name}` uses the training rows in the same order every epoch although shuffle=True: draw a new order each epoch (`torch.randperm`).")
    else:
        t.expect(all(rows == sorted(rows) for rows in epochs_rows),
                 ja=f"`{name}` は shuffle=False ですが訓練データの順番を変えています。shuffle=False なら先頭から順に使います。",
                 en=f"`{name}` changes the order of the training rows although shuffle=False: use them in order from the first.")
    return train, per_epoch


def _judge_loss(t, history, train, per_epoch, name):
    for e, value in enumerate(history["loss"]):
        block = train[e * per_epoch:(e + 1) * per_epoch]
        values = np.array([c["value"] for c in block])
        sizes = np.array([len(c["rows"]) for c in block])
        mean = float(values @ sizes / sizes.sum())
        ok = lambda v, ref: abs(v - ref) <= 1e-5 + 1e-4 * abs(ref)   # noqa: E731
        t.mistake(ok(value, float(values[-1])) and not ok(mean, float(values[-1])),
                  ja=f"`{name}[\"loss\"][{e}]` は、そのエポックの最後のミニバッチの損失だけです。Keras はエポック中のすべてのミニバッチの損失の平均を記録します。",
                  en=f"`{name}[\"loss\"][{e}]` is the loss of the epoch's last mini-batch only. Keras records the mean of all the epoch's mini-batch losses.")
        t.mistake(ok(value, float(values.mean())) and not ok(mean, float(values.mean())),
                  ja=f"`{name}[\"loss\"][{e}]` はミニバッチの損失の単純な平均です。最後のミニバッチが小さいとき、Keras は各ミニバッチの損失をそのサンプル数で重み付けして平均します (サンプルあたりの平均)。",
                  en=f"`{name}[\"loss\"][{e}]` is the plain mean of the mini-batch losses. When the last mini-batch is smaller, Keras weights each batch's loss by its number of samples (the mean per sample).")
        t.expect(ok(value, mean),
                 ja=f"`{name}[\"loss\"][{e}]` が {value:.6g} になっていますが、正しくは そのエポックのミニバッチの損失の平均 {mean:.6g} です。",
                 en=f"`{name}[\"loss\"][{e}]` is {value:.6g} but should be {mean:.6g}, the mean of that epoch's mini-batch losses.")


def _judge_final_val(t, history, model, x, y, split, name):
    model.eval()
    with _no_grad():
        expected = float(_mse(model(x[split:]), y[split:]))
        front = float(_mse(model(x[:len(x) - split]), y[:len(x) - split]))
    got = history["val_loss"][-1]
    ok = lambda v, ref: abs(v - ref) <= 1e-5 + 1e-4 * abs(ref)   # noqa: E731
    t.mistake(ok(got, front) and not ok(front, expected),
              ja=f"`{name}[\"val_loss\"]` は先頭の行で測った損失です。Keras の `validation_split` は最後の割合を検証データにします。",
              en=f"`{name}[\"val_loss\"]` is measured on the first rows. Keras's `validation_split` takes the LAST fraction as validation data.")
    t.expect(ok(got, expected),
             ja=f"`{name}[\"val_loss\"][-1]` が {got:.6g} ですが、学習後のモデルで検証データ (後ろの {len(x) - split} 行) の損失を測ると {expected:.6g} です。",
             en=f"`{name}[\"val_loss\"][-1]` is {got:.6g}, but the trained model's loss on the validation rows (the last {len(x) - split}) is {expected:.6g}.")


@check(ja="shuffle=False の線形モデル: 履歴が Keras の `fit` と同じ", en="a linear model with shuffle=False: the history equals Keras's `fit`")
def keras_history(t):
    n, split_frac = t.rng.choice(_split_cases())
    split = keras_ref.validation_split_index(n, split_frac)
    batch = t.rng.choice([b for b in range(4, 17) if split % b == 0 and split // b >= 2])
    n_in, n_out, epochs = t.rng.randint(2, 4), t.rng.randint(1, 2), t.rng.randint(2, 4)
    x, y = _data(t, n, n_in, n_out)
    torch.manual_seed(t.seed)
    model = nn.Linear(n_in, n_out)
    kernel, bias = model.weight.detach().numpy().T.copy(), model.bias.detach().numpy().copy()
    got, calls, steps, grads, name = _run(t, model, x, y, batch_size=batch, epochs=epochs, validation_split=split_frac, shuffle=False)
    history = _history(t, got, name, epochs, with_val=True)
    flat = history["loss"] + history["val_loss"]
    keras = lambda **flags: keras_ref.fit_linear_sgd(kernel, bias, x.numpy(), y.numpy(), lr=LR, epochs=epochs, batch_size=batch, validation_split=split_frac, **flags)  # noqa: E731
    expected = keras()
    close = lambda h: np.allclose(flat, h["loss"] + h["val_loss"], rtol=1e-4, atol=1e-5)   # noqa: E731
    correct = close(expected)
    t.mistake(not correct and close(keras(val_from_front=True)),
              ja=f"`{name}` は検証データをデータの先頭から取っています。Keras の `validation_split` は、シャッフルする前のデータの最後の割合を検証データにします。",
              en=f"`{name}` takes the validation data from the front. Keras's `validation_split` takes the LAST fraction of the data, before any shuffling.")
    t.mistake(not correct and close(keras(train_on_all=True)),
              ja=f"`{name}` は検証データでも学習しています。検証データは訓練に使わず、各エポックの終わりに損失を測るだけにします。",
              en=f"`{name}` trains on the validation data too. Validation data is never trained on; it is only used to measure the loss after each epoch.")
    t.mistake(not correct and close(keras(loss_of="last")),
              ja=f"`{name}[\"loss\"]` は各エポックの最後のミニバッチの損失だけです。Keras はエポック中のすべてのミニバッチの損失の平均を記録します。",
              en=f"`{name}[\"loss\"]` holds the loss of each epoch's last mini-batch only. Keras records the mean of all the epoch's mini-batch losses.")
    train, per_epoch = _judge_rows(t, calls, steps, grads, name, n, split, batch, epochs, shuffle=False)
    _judge_loss(t, history, train, per_epoch, name)
    for key in ("loss", "val_loss"):
        t.tensor(torch.tensor(history[key], dtype=torch.float64), torch.tensor(expected[key], dtype=torch.float64),
                 name=f"{name}[\"{key}\"]", atol=1e-5, rtol=1e-4)


@check(ja="shuffle=True の小さな MLP: 訓練の行、順番、エポックの損失、検証損失", en="a small MLP with shuffle=True: the rows trained on, their order, each epoch's loss, the validation loss")
def shuffled(t):
    n, split_frac = t.rng.choice(_split_cases())
    split = keras_ref.validation_split_index(n, split_frac)
    batch = t.rng.choice([b for b in range(4, 17) if split % b == 0 and split // b >= 2])
    epochs = t.rng.randint(2, 4)
    x, y = _data(t, n, 3, 1)
    torch.manual_seed(t.seed)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    got, calls, steps, grads, name = _run(t, model, x, y, batch_size=batch, epochs=epochs, validation_split=split_frac, shuffle=True)
    history = _history(t, got, name, epochs, with_val=True)
    t.plot_line("loss", ja="fit が返した履歴 (History)", en="the history fit returned (History)", lines=history,
                x_label=("エポック", "epoch"), y_label=("損失", "loss"))
    train, per_epoch = _judge_rows(t, calls, steps, grads, name, n, split, batch, epochs, shuffle=True)
    _judge_loss(t, history, train, per_epoch, name)
    _judge_final_val(t, history, model, x, y, split, name)


@check(ja="最後のミニバッチが小さいとき: 捨てずに使い、損失はサンプル数で重み付けした平均", en="a smaller last mini-batch: used, and the loss weighted by batch size")
def uneven_batches(t):
    n, split_frac = t.rng.choice(_split_cases())
    split = keras_ref.validation_split_index(n, split_frac)
    batch = t.rng.choice([b for b in range(5, 17) if split % b >= 2 and split // b >= 2])
    epochs = 2
    x, y = _data(t, n, 2, 1)
    torch.manual_seed(t.seed)
    model = nn.Linear(2, 1)
    kernel, bias = model.weight.detach().numpy().T.copy(), model.bias.detach().numpy().copy()
    got, calls, steps, grads, name = _run(t, model, x, y, batch_size=batch, epochs=epochs, validation_split=split_frac, shuffle=False)
    history = _history(t, got, name, epochs, with_val=True)
    train, per_epoch = _judge_rows(t, calls, steps, grads, name, n, split, batch, epochs, shuffle=False)
    _judge_loss(t, history, train, per_epoch, name)
    expected = keras_ref.fit_linear_sgd(kernel, bias, x.numpy(), y.numpy(), lr=LR, epochs=epochs, batch_size=batch, validation_split=split_frac)
    for key in ("loss", "val_loss"):
        t.tensor(torch.tensor(history[key], dtype=torch.float64), torch.tensor(expected[key], dtype=torch.float64),
                 name=f"{name}[\"{key}\"]", atol=1e-5, rtol=1e-4)


@check(ja="validation_split=0 なら履歴は \"loss\" だけ", en="with validation_split=0 the history holds only \"loss\"")
def no_validation(t):
    n, batch, epochs = t.rng.choice([24, 30, 36]), 6, t.rng.randint(2, 3)
    x, y = _data(t, n, 2, 1)
    torch.manual_seed(t.seed)
    model = nn.Linear(2, 1)
    kernel, bias = model.weight.detach().numpy().T.copy(), model.bias.detach().numpy().copy()
    got, calls, steps, grads, name = _run(t, model, x, y, batch_size=batch, epochs=epochs, validation_split=0.0, shuffle=False)
    history = _history(t, got, name, epochs, with_val=False)
    expected = keras_ref.fit_linear_sgd(kernel, bias, x.numpy(), y.numpy(), lr=LR, epochs=epochs, batch_size=batch)
    t.tensor(torch.tensor(history["loss"], dtype=torch.float64), torch.tensor(expected["loss"], dtype=torch.float64),
             name=f"{name}[\"loss\"]", atol=1e-5, rtol=1e-4)
