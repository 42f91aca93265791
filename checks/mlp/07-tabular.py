"""Hidden checks for exercise 4.7 (a regression MLP on a table, from scaling to early stopping).

Each function is judged on its own, on inputs the check builds: `prepare` on a
housing-like table drawn per run (`_tabular.table`), `train` on the check's
loaders and its own 8-100-100-1 model, watched from outside (which forwards
saw validation data, in which mode, with autograd on or off, and the
parameters at every validation pass), `predict` on the check's model. The
last check runs the student's four functions together and judges the test
error of the model they make.

The training run is shared by two checks (it is the same call; the second
only reads more of what was seen). Learning rate 1e-2 with patience 5 stops
the run between epochs 10 and 50 on every seed tried (100 seeds), far below the
100 epochs allowed, so a loop without early stopping is always seen as one.
"""

import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

from tutor.checkkit import TrainWatch, check, expect_first_loss, expect_trained
from _models import _module_lists, _super_failure  # checks/mlp/_models.py
from _tabular_judge import judge_losses, judge_stopping  # checks/mlp/_tabular_judge.py
from _tabular import FEATURES, SORT_KEY, Run, one_thread, reference_model, rows, simulate, state, table, tensors  # checks/mlp/_tabular.py

_relu, _sigmoid, _allclose = torch.relu, torch.sigmoid, torch.allclose
_is_grad_enabled = torch.is_grad_enabled

BATCH, N_TRAIN, N_VAL = 100, 320, 150
"""The training run: 320 rows in batches of 100, 100, 100, 20; 150 validation rows in 100 and 50."""
MAX_EPOCHS, PATIENCE, LR = 100, 5, 1e-2
_RUNS = {}


def _prepare(t):
    """Call `prepare` on a fresh table (batch size 64, not the lab's 100) and unpack what it returns."""
    rng = np.random.default_rng(t.rng.randrange(2**32))
    (Xt, yt), (Xv, yv) = table(rng, 300), table(rng, 130)
    got = t.call("prepare", Xt.copy(), yt.copy(), Xv.copy(), yv.copy(), 64)
    order = "(train_loader, val_loader, mean, std)"
    t.expect(isinstance(got, (tuple, list)) and len(got) == 4,
             ja=f"`prepare(...)` は {order} の 4 つをこの順に返してください。",
             en=f"`prepare(...)` should return four values, {order}, in this order.")
    for i, nm in enumerate(("train_loader", "val_loader")):
        t.expect(isinstance(got[i], DataLoader),
                 ja=f"`prepare(...)` が返した {i + 1} 番目の値 (`{nm}`) が DataLoader ではなく {type(got[i]).__name__} です。{order} の順に返してください。",
                 en=f"The value `prepare(...)` returns in place {i + 1} (`{nm}`) is a {type(got[i]).__name__}, not a DataLoader: return {order} in this order.")
    sizes = [len(getattr(loader, "dataset", ())) for loader in got[:2]]
    t.mistake(sizes == [len(Xv), len(Xt)],
              ja=f"`prepare(...)` の `train_loader` に検証データ ({len(Xv)} 行)、`val_loader` に訓練データ ({len(Xt)} 行) が入っています。{order} の順に返してください。",
              en=f"`train_loader` from `prepare(...)` holds the validation data ({len(Xv)} rows) and `val_loader` the training data ({len(Xt)} rows): return {order} in this order.")
    return {"train": got[0], "val": got[1], "mean": got[2], "std": got[3], "Xt": Xt, "yt": yt, "Xv": Xv, "yv": yv}


def _stats(X, correction=1):
    x = torch.tensor(X, dtype=torch.float64)
    return x.mean(dim=0), x.std(dim=0, correction=correction)


@check(ja="`prepare`: 標準化の平均と標準偏差は訓練データだけから求める", en="`prepare`: the scaling's mean and std come from the training data alone")
def scaler(t):
    p = _prepare(t)
    mean, std, n = p["mean"], p["std"], len(p["Xt"])
    both = np.concatenate([p["Xt"], p["Xv"]])
    (m_t, s_t), (m_all, s_all), (m_v, s_v) = _stats(p["Xt"]), _stats(both), _stats(p["Xv"])
    for nm, got in (("mean", mean), ("std", std)):
        per_row = isinstance(got, torch.Tensor) and got.dim() >= 1 and got.shape[0] in (n, len(both)) and got.numel() == got.shape[0]
        shape = tuple(got.shape) if per_row else ()
        t.mistake(per_row,
                  ja=f"`{nm}` の形が {shape} で、行 (サンプル) ごとの値になっています。特徴 (列) ごとの値が 8 個必要なので、`dim=0` (行の方向に集計) を指定してください。",
                  en=f"`{nm}` has one value per row (sample), shape {shape}: you want one per feature (column), 8 of them: reduce over the rows with `dim=0`.")
        close = lambda want: t.close(got, want, rtol=1e-4, atol=1e-4)
        right = m_t if nm == "mean" else s_t
        t.mistake(close(m_all if nm == "mean" else s_all) and not close(right),
                  ja=f"`{nm}` を訓練データと検証データを合わせた全データから求めています。標準化の平均と標準偏差は訓練データだけから求め、検証データにもその値を使ってください。全データから求めると、検証データの情報が学習に漏れて、検証損失が本当の汎化性能よりよく見えます。",
                  en=f"`{nm}` comes from all the data, training and validation together. Fit the scaling on the training data alone and use its values on the validation data too: "
                     f"fitted on everything, the validation data leaks into training and the validation loss looks better than the model generalizes.")
        t.mistake(close(m_v if nm == "mean" else s_v),
                  ja=f"`{nm}` が検証データの値です。標準化の平均と標準偏差は訓練データ (`X_train`) から求めてください。",
                  en=f"`{nm}` is the validation data's: compute the scaling's mean and std from the training data (`X_train`).")
    t.mistake(t.close(mean, m_t * n, rtol=1e-4),
              ja=f"`mean` が平均の {n} 倍 (データ数倍)、つまり合計になっています。`sum` ではなく `mean(dim=0)` にしてください。",
              en=f"`mean` is {n} times the mean (the number of samples times): a sum where the mean is asked for. Use `mean(dim=0)`, not `sum`.")
    t.tensor(mean, m_t.float(), name="prepare(...) mean (one per feature of X_train)", atol=1e-4, rtol=1e-4)
    t.mistake(t.close(std, s_t ** 2, rtol=1e-4, atol=1e-4),
              ja="`std` が分散 (標準偏差の 2 乗) になっています。`std(dim=0)` を使ってください。",
              en="`std` is the variance (the standard deviation squared): use `std(dim=0)`.")
    if not t.close(std, _stats(p["Xt"], correction=0)[1], rtol=1e-4, atol=1e-4):  # n or n - 1: both are the std
        t.tensor(std, s_t.float(), name="prepare(...) std (one per feature of X_train)", atol=1e-4, rtol=1e-4)


def _batches(t, loader, nm, batch):
    """Every (x, y) of one pass over the loader, checked for type, dtype and shape."""
    xs, ys = [], []
    for i, item in enumerate(loader):
        t.expect(isinstance(item, (tuple, list)) and len(item) == 2,
                 ja=f"`{nm}` のミニバッチは (入力, 正解) の 2 つ組にしてください。`TensorDataset(X, y)` を使います。",
                 en=f"Each mini-batch of `{nm}` should be a pair (inputs, targets): use `TensorDataset(X, y)`.")
        x, y = item
        t.shape(x, (len(x), FEATURES), name=f"{nm} inputs (x of one mini-batch)")
        t.dtype(x, torch.float32, name=f"{nm} inputs (x of one mini-batch)")
        if isinstance(y, torch.Tensor) and y.shape == (len(x),):
            t.fail(ja=f"`{nm}` の正解 y の形が ({len(x)},) です。モデルの出力は (B, 1) なので、y も `view(-1, 1)` で (N, 1) にしてください。(B,) と (B, 1) のまま `nn.MSELoss` に渡すと、ブロードキャストで (B, B) の差が計算されてしまいます。",
                   en=f"The targets y of `{nm}` have shape ({len(x)},). The model outputs (B, 1): make y (N, 1) with `view(-1, 1)`. "
                      f"Given (B,) and (B, 1), `nn.MSELoss` broadcasts them to a (B, B) difference.")
        t.shape(y, (len(x), 1), name=f"{nm} targets (y of one mini-batch)")
        t.dtype(y, torch.float32, name=f"{nm} targets (y of one mini-batch)")
        t.expect(i == 0 and len(x) == batch or len(x) <= batch,
                 ja=f"`{nm}` のミニバッチが {len(x)} 行です。引数の batch_size ({batch}) を DataLoader に渡してください。",
                 en=f"A mini-batch of `{nm}` has {len(x)} rows: pass the batch_size argument ({batch}) to the DataLoader.")
        xs.append(x.detach())
        ys.append(y.detach())
    t.expect(bool(xs), ja=f"`{nm}` からミニバッチが 1 つも出てきません。", en=f"`{nm}` yields no mini-batch.")
    return torch.cat(xs), torch.cat(ys)


def _values(t, nm, got, want, raw, own=None):
    """Compare a loader's rows (any order) with the expected standardized rows, naming the usual slips."""
    x, y = got
    order = torch.argsort(x[:, SORT_KEY])
    x, y = x[order], y[order]
    sort = lambda pair: (pair[0][torch.argsort(pair[0][:, SORT_KEY])], pair[1][torch.argsort(pair[0][:, SORT_KEY])])
    (wx, wy), (rx, _) = sort(want), sort(raw)
    t.mistake(t.close(x, rx, rtol=1e-4, atol=1e-4),
              ja=f"`{nm}` の入力が標準化されていません。特徴の大きさがばらばら (人口は数千、緯度は 30 台など) のままだと学習がうまく進みません。(X - mean) / std にしてから DataLoader に入れてください。",
              en=f"The inputs of `{nm}` are not standardized. Features on such different scales (populations in thousands, latitudes in the 30s) make training crawl: "
                 f"put (X - mean) / std into the DataLoader.")
    if own is not None:
        t.mistake(t.close(x, sort(own)[0], rtol=1e-4, atol=1e-4),
                  ja=f"`{nm}` の入力を、検証データ自身の平均と標準偏差で標準化しています。検証データにも、訓練データから求めた mean と std を使ってください (新しいデータにはいつも同じ変換をかけます)。",
                  en=f"The inputs of `{nm}` are standardized with the validation data's own mean and std: use the training data's mean and std there too (new data always gets the same transformation).")
    t.tensor(x, wx, name=f"{nm} inputs (sorted by latitude), standardized with the training mean and std", atol=1e-4, rtol=1e-4)
    t.mistake(t.close(y, (wy - wy.mean()) / wy.std(), rtol=1e-3, atol=1e-3),
              ja=f"`{nm}` の正解 (価格) まで標準化しています。この演習では正解はそのままにして、`predict` が価格そのものを返すようにします。",
              en=f"The targets (prices) of `{nm}` are standardized too. In this exercise the targets stay as they are, so that `predict` returns prices.")
    t.tensor(y, wy, name=f"{nm} targets (each row's price, with its own features)", atol=1e-4, rtol=1e-4)


@check(ja="`prepare`: float32 のテンソル、(N, 1) の正解、訓練データの値で標準化した DataLoader", en="`prepare`: float32 tensors, (N, 1) targets, DataLoaders standardized with the training values")
def loaders(t):
    p = _prepare(t)
    m, s = _stats(p["Xt"], correction=0 if t.close(p["std"], _stats(p["Xt"], correction=0)[1], rtol=1e-4) else 1)
    raw = lambda X, y: tensors(X, y, torch.zeros(FEATURES), torch.ones(FEATURES))
    first = _batches(t, p["train"], "train_loader", 64)
    second = _batches(t, p["train"], "train_loader", 64)
    t.expect(len(first[0]) == len(p["Xt"]),
             ja=f"`train_loader` から出てくるのは {len(first[0])} 行ですが、訓練データは {len(p['Xt'])} 行です。最後の小さいミニバッチも使ってください (`drop_last` は付けません)。",
             en=f"`train_loader` yields {len(first[0])} rows, but the training data has {len(p['Xt'])}: keep the last, smaller mini-batch too (no `drop_last`).")
    t.mistake(bool((first[0][:, SORT_KEY] == second[0][:, SORT_KEY]).all()),
              ja="`train_loader` が毎エポック同じ順番でデータを出します。訓練用の DataLoader には `shuffle=True` を指定してください。",
              en="`train_loader` yields the data in the same order every epoch: give the training DataLoader `shuffle=True`.")
    _values(t, "train_loader", first, tensors(p["Xt"], p["yt"], m.float(), s.float()), raw(p["Xt"], p["yt"]))
    val = _batches(t, p["val"], "val_loader", 64)
    t.expect(len(val[0]) == len(p["Xv"]),
             ja=f"`val_loader` から出てくるのは {len(val[0])} 行ですが、検証データは {len(p['Xv'])} 行です。検証データはすべて使ってください。",
             en=f"`val_loader` yields {len(val[0])} rows, but the validation data has {len(p['Xv'])}: use all of it.")
    mv, sv = _stats(p["Xv"])
    _values(t, "val_loader", val, tensors(p["Xv"], p["yv"], m.float(), s.float()), raw(p["Xv"], p["yv"]),
            own=tensors(p["Xv"], p["yv"], mv.float(), sv.float()))


@check(ja="`make_model`: 教材と同じ 8-100-100-1 の MLP で、中間層に ReLU", en="`make_model`: the lab's 8-100-100-1 MLP with ReLU on the hidden layers")
def model_shape(t):
    try:
        model = t.call("make_model")
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc):
            _super_failure(t, "make_model()", exc)
        raise
    t.expect(isinstance(model, nn.Module),
             ja=f"`make_model()` が nn.Module ではなく {type(model).__name__} を返しました。`nn.Sequential(...)` か nn.Module のクラスを返してください。",
             en=f"`make_model()` returned a {type(model).__name__}, not an nn.Module: return an `nn.Sequential(...)` or an nn.Module class.")
    lists = _module_lists(model)
    t.mistake(bool(lists),
              ja=f"層が普通の Python のリスト (`self.{lists[0] if lists else ''}`) に入っていて、パラメータが登録されていません。層はそれぞれ属性にするか `nn.ModuleList` に入れてください。",
              en=f"The layers are kept in a plain Python list (`self.{lists[0] if lists else ''}`), so their parameters are not registered. Make each layer an attribute or use `nn.ModuleList`.")
    layers = {(m.in_features, m.out_features): m for m in model.modules() if isinstance(m, nn.Linear)}
    want = [(FEATURES, 100), (100, 100), (100, 1)]
    got = sorted(layers, key=lambda s: [w for w in want].index(s) if s in want else 9)
    t.expect(sorted(got) == sorted(want) and len(layers) == 3,
             ja=f"全結合層が {', '.join(f'Linear{s}' for s in got) or 'ありません'} ですが、教材と同じ Linear(8, 100)、Linear(100, 100)、Linear(100, 1) にしてください。",
             en=f"The fully connected layers are {', '.join(f'Linear{s}' for s in got) or 'none'}; make them the lab's Linear(8, 100), Linear(100, 100), Linear(100, 1).")
    count = sum(p.numel() for p in model.parameters())
    t.expect(count == 11101, ja=f"パラメータが {count} 個ですが、8-100-100-1 の MLP なら 11,101 個です。",
             en=f"The model has {count} parameters; the 8-100-100-1 MLP has 11,101.")
    x = t.randn(64, FEATURES) * 2
    with torch.no_grad():
        (w1, b1), (w2, b2), (w3, b3) = [(layers[s].weight, layers[s].bias) for s in want]
        # The output bias moved so that half the outputs are negative: a ReLU after the output then shows.
        b3 -= (_relu(_relu(x @ w1.T + b1) @ w2.T + b2) @ w3.T + b3).median()
        out = t.shape(model(x), (64, 1), name="make_model()(x)")
        h = [x @ w1.T + b1]
        right = _relu(_relu(h[0]) @ w2.T + b2) @ w3.T + b3
        without = [((h[0] @ w2.T + b2) @ w3.T + b3), (_relu(h[0] @ w2.T + b2) @ w3.T + b3), ((_relu(h[0]) @ w2.T + b2) @ w3.T + b3)]
    t.mistake(any(t.close(out, w, atol=1e-5) for w in without) and not t.close(out, right, atol=1e-5),
              ja="全結合層の間の ReLU が足りません。活性化関数がないと、隣り合う全結合層は 1 つのアフィン変換にまとまってしまいます (演習 4.1)。2 つの中間層のそれぞれのあとに `nn.ReLU()` を入れてください。",
              en="A ReLU is missing between the fully connected layers. Without an activation, neighbouring layers fold into one affine map (Exercise 4.1): put an `nn.ReLU()` after each of the two hidden layers.")
    t.mistake((t.close(out, _relu(right), atol=1e-5) or t.close(out, _sigmoid(right), atol=1e-5)) and not t.close(out, right, atol=1e-5),
              ja="出力層のあとにも活性化関数 (ReLU やシグモイド関数) があります。回帰では、最後の全結合層の出力をそのまま予測値にします。ReLU は負の値を 0 に、シグモイド関数は 0 から 1 の間に押し込んでしまいます。",
              en="The output layer has an activation after it (a ReLU or a sigmoid). In regression the last fully connected layer's output is the prediction as it is: a ReLU clips it at 0, a sigmoid squeezes it into (0, 1).")
    t.tensor(out, right, name="make_model()(x)")


def _run(t):
    if t.seed not in _RUNS:
        _RUNS[t.seed] = Run(t, t.seed, n_train=N_TRAIN, n_val=N_VAL, batch=BATCH, max_epochs=MAX_EPOCHS, patience=PATIENCE, lr=LR)
    return _RUNS[t.seed]


@check(ja="`train`: Adam と平均二乗誤差で全ミニバッチを学習し、検証は `model.eval()` と `torch.no_grad()` の中で", en="`train`: Adam and the mean squared error on every mini-batch, validation under `model.eval()` and `torch.no_grad()`")
@one_thread
def loop(t):
    run = _run(t)
    name = "train(...)"
    expect_trained(t, run.watch, name=name, optimizer="Adam", lr=LR, model=run.model)
    val = [e for e in run.events if e["val"]]
    t.expect(bool(val),
             ja="検証データでモデルを一度も計算していません。各エポックの最後に val_loader のデータで検証損失を求めてください。",
             en="The model never ran on the validation data. At the end of every epoch compute the validation loss on the data of val_loader.")
    t.mistake(any(e["grad"] for e in val),
              ja="検証データでの計算が勾配を記録したまま行われています。検証では勾配は要らないので、`with torch.no_grad():` の中で計算してください。計算グラフを作らない分、メモリも時間も節約できます。",
              en="The validation pass ran with gradients on. Validation needs no gradients: compute it inside `with torch.no_grad():`, which also saves the memory and time of building the graph.")
    t.mistake(any(e["training"] for e in val),
              ja="検証のときにモデルが訓練モードのままです。検証の前に `model.eval()` を呼んでください。ドロップアウトやバッチ正規化のように、訓練と評価で動きが変わる層があるからです。",
              en="The model is still in training mode during validation. Call `model.eval()` before validating: layers such as dropout and batch normalization behave differently when training and when evaluating.")
    t.mistake(any(not e["training"] for e in run.events if not e["val"] and e["grad"]),
              ja="2 エポック目以降の訓練が評価モードのまま行われています。`model.eval()` のあとは、次のエポックの訓練の前に `model.train()` で訓練モードに戻してください。",
              en="From the second epoch on, training runs in evaluation mode. After `model.eval()`, switch back with `model.train()` before the next epoch's training.")
    if run.mismatched:
        got, want = (", ".join(map(str, shape)) for shape in run.mismatched[0])
        t.fail(ja=f"`{name}` で、`nn.MSELoss` に形 ({got}) の出力と形 ({want}) の正解を渡しています。形が違うとブロードキャストされて、すべての出力とすべての正解の組の差 (B, B) の平均になり、モデルは平均値を予測することしか学べません。"
                  "出力を `squeeze()` や `view(-1)` で平らにせず、出力も正解も (B, 1) のまま渡してください。",
               en=f"`{name}` gives `nn.MSELoss` outputs of shape ({got}) and targets of shape ({want}). Different shapes broadcast to a (B, B) difference, every output against every target, "
                  "and the model learns nothing but the mean: do not flatten the outputs (`squeeze()`, `view(-1)`), give both as (B, 1).")
    epochs, batches = len(run.passes()), math.ceil(N_TRAIN / BATCH)
    expect_trained(t, run.watch, name=name, exact=True, steps=epochs * batches,
                   steps_what=(f"{epochs} エポック × {batches} ミニバッチ", f"{epochs} epochs of {batches} mini-batches"))
    targets = {r: i for i, r in enumerate(rows(run.xt))}
    lookup = lambda inp: run.yt[[targets[r] for r in rows(inp[0])]]
    expect_first_loss(t, run.watch, lambda out, inp: ((out - lookup(inp)) ** 2).mean(), name=name,
                      what=("ミニバッチの平均二乗誤差 (`nn.MSELoss`)", "the mean squared error (`nn.MSELoss`) on the mini-batch"),
                      wrong=[(lambda out, inp: (out - lookup(inp)).abs().mean(),
                              f"`{name}` の損失が差の絶対値の平均 (L1 損失、`nn.L1Loss`) です。損失関数は `nn.MSELoss` (平均二乗誤差) にしてください。",
                              f"`{name}` trains with the mean absolute difference (the L1 loss, `nn.L1Loss`): use `nn.MSELoss`, the mean squared error."),
                             (lambda out, inp: ((out.view(-1) - lookup(inp)) ** 2).mean(),
                              f"`{name}` の損失で、形 (B,) の出力と形 (B, 1) の正解がブロードキャストされて (B, B) の差になっています。出力を `view(-1)` や `squeeze()` で平らにせず、(B, 1) どうしで `nn.MSELoss` に渡してください。",
                              f"In the loss of `{name}` outputs of shape (B,) meet targets of shape (B, 1) and broadcast to a (B, B) difference: do not flatten the outputs (`view(-1)`, `squeeze()`), give `nn.MSELoss` two (B, 1) tensors."),
                             (lambda out, inp: ((_sigmoid(out) - lookup(inp)) ** 2).mean(),
                              f"`{name}` はモデルの出力にシグモイド関数 (sigmoid) をかけてから損失を計算しています。回帰では出力をそのまま `nn.MSELoss` に渡してください。",
                              f"`{name}` puts the model's output through a sigmoid before the loss: in regression the outputs go into `nn.MSELoss` as they are.")])


@check(ja="`train`: エポックごとの損失、patience による早期終了、最良のエポックのパラメータに戻す", en="`train`: the losses of every epoch, early stopping after patience epochs, the best epoch's parameters loaded back")
@one_thread
def stopping(t):
    run = _run(t)
    values = judge_losses(t, run)
    judge_stopping(t, run, values)


@check(ja="`train`: 検証損失がまったく変わらないとき (lr=0) は、エポック 0 を残して patience エポックで止める", en="`train`: a validation loss that never changes (lr=0) keeps epoch 0 and stops after patience epochs")
@one_thread
def plateau(t):
    run = Run(t, t.seed + 1, n_train=N_TRAIN, n_val=N_VAL, batch=BATCH, max_epochs=30, patience=3, lr=0.0)
    values = judge_losses(t, run, learning=False)
    judge_stopping(t, run, values)


def _predict(t, model, X, mean, std, what):
    """Call `predict` on the check's model (left in training mode), watching its forwards."""
    seen = []
    model.train()
    handle = model.register_forward_pre_hook(lambda m, i: seen.append((m.training, _is_grad_enabled())))
    try:
        got = t.call("predict", model, X.copy(), mean.clone(), std.clone())
    finally:
        handle.remove()
    name = f"predict(model, {what}, mean, std)"
    t.expect(bool(seen),
             ja=f"`{name}` の中でモデルが一度も呼ばれていません。標準化した入力を `model(...)` に渡して、その出力を返してください。",
             en=f"`{name}` never calls the model: give it the standardized inputs, `model(...)`, and return its output.")
    t.mistake(any(training for training, _ in seen),
              ja=f"`{name}` でモデルが訓練モードのまま予測しています。予測の前に `model.eval()` を呼んでください (ドロップアウトやバッチ正規化のあるモデルでは結果が変わります)。",
              en=f"`{name}` predicts with the model in training mode: call `model.eval()` first (with dropout or batch normalization the results would differ).")
    t.mistake(any(grad for _, grad in seen) or (isinstance(got, torch.Tensor) and got.requires_grad),
              ja=f"`{name}` が勾配を記録したまま (計算グラフを作りながら) 予測しています。予測では勾配は要らないので、`with torch.no_grad():` の中でモデルを呼んでください。",
              en=f"`{name}` predicts with gradients on, building a graph nobody needs: call the model inside `with torch.no_grad():`.")
    return got, name


@check(ja="`predict`: 新しいデータを訓練データの mean と std で標準化し、評価モードと `torch.no_grad()` で予測", en="`predict`: new data standardized with the training mean and std, predicted under `model.eval()` and `torch.no_grad()`")
@one_thread
def predicting(t):
    rng = np.random.default_rng(t.rng.randrange(2**32))
    train32 = torch.tensor(table(rng, 200)[0], dtype=torch.float32)
    mean, std = train32.mean(dim=0), train32.std(dim=0)
    torch.manual_seed(t.seed)
    model = reference_model()
    X_new = table(rng, 12)[0] * np.array([1.6, 1.0, 1.2, 1.0, 2.0, 1.0, 1.0, 1.0])  # richer, bigger districts than in training
    for X, what in ((X_new, "12 new rows"), (X_new[:1], "one new row")):
        got, name = _predict(t, model, X, mean, std, what)
        x32 = torch.tensor(X, dtype=torch.float32)
        with torch.no_grad():
            want = model((x32 - mean) / std)
            t.mistake(t.close(got, model(x32), rtol=1e-4, atol=1e-4),
                      ja=f"`{name}` が新しいデータを標準化せずにモデルに渡しています。モデルは標準化したデータで学習したので、新しいデータにも訓練データの mean と std で同じ変換 (X - mean) / std をかけてください。",
                      en=f"`{name}` gives the model the new data unscaled. The model learned on standardized data: give new data the same transformation, (X - mean) / std with the training mean and std.")
            t.mistake(t.close(got, model(x32 - mean), rtol=1e-4, atol=1e-4),
                      ja=f"`{name}` で、平均を引いたあと std で割っていません。訓練データと同じ (X - mean) / std にしてください。",
                      en=f"`{name}` subtracts the mean but does not divide by std: use (X - mean) / std, as for the training data.")
            if len(X) > 1:
                t.mistake(t.close(got, model((x32 - x32.mean(dim=0)) / x32.std(dim=0)), rtol=1e-4, atol=1e-4),
                          ja=f"`{name}` が新しいデータを、それ自身の平均と標準偏差で標準化しています。引数の mean と std (訓練データのもの) を使ってください。新しいデータの平均で引くと、訓練データよりずっと大きな値も「平均的」に見えてしまいます。",
                          en=f"`{name}` standardizes the new data with its own mean and std. Use the mean and std given (the training data's): subtracting the new data's own mean makes values far larger than any in training look average.")
        if isinstance(got, torch.Tensor) and len(X) == 1 and not bool(torch.isfinite(got).all()):
            t.fail(ja=f"`{name}` が NaN になりました。1 行だけのデータから標準偏差を計算しています。引数の mean と std (訓練データのもの) で標準化してください。",
                   en=f"`{name}` gave NaN: it computes a standard deviation from a single row. Standardize with the mean and std given (the training data's).")
        t.tensor(got, want, name=name, atol=1e-4, rtol=1e-4)


def _draw(t, returned, truth, pred):
    """The pipeline's figures: losses per epoch, and test prices against predictions (never fails)."""
    if isinstance(returned, (tuple, list)) and len(returned) == 3:
        t.plot_line("loss", ja="訓練データと検証データの損失", en="training and validation loss",
                    lines={"loss": returned[0], "val_loss": returned[1]}, x_label=("エポック", "epoch"), y_label=("損失", "loss"))
    try:
        pred = pred.detach().reshape(-1)
        ends = torch.stack([truth.min(), truth.max()])
    except Exception:
        return
    t.plot_points("fit", ja="テストデータの価格と予測", en="test data: true vs predicted price",
                  x=truth, y=pred, fit=(ends, ends), fit_name="y = x", x_label=("正解", "true"), y_label=("予測", "predicted"))


@check(ja="4 つの関数をつなげて学習したモデルが、テストデータの価格を予測できる", en="your four functions together make a model that predicts the test prices")
@one_thread
def pipeline(t):
    rng = np.random.default_rng(t.rng.randrange(2**32))
    (Xt, yt), (Xv, yv), (Xs, ys) = table(rng, 400), table(rng, 200), table(rng, 300)
    got = t.call("prepare", Xt, yt, Xv, yv, BATCH)
    t.expect(isinstance(got, (tuple, list)) and len(got) == 4,
             ja="`prepare(...)` は (train_loader, val_loader, mean, std) の 4 つをこの順に返してください。",
             en="`prepare(...)` should return four values, (train_loader, val_loader, mean, std), in this order.")
    train_loader, val_loader, mean, std = got
    torch.manual_seed(t.seed)
    model = t.call("make_model")
    returned = t.call("train", model, train_loader, val_loader, MAX_EPOCHS, PATIENCE, LR)
    pred = t.call("predict", model, Xs, mean, std)
    truth = torch.tensor(ys, dtype=torch.float32)
    _draw(t, returned, truth, pred if isinstance(pred, torch.Tensor) else truth)
    pred = t.shape(pred, (len(Xs), 1), name="predict(model, X_test, mean, std)")
    mse = float(((pred.double().view(-1) - truth.double()) ** 2).mean())
    base = float(((truth.double() - truth.double().mean()) ** 2).mean())
    t.mistake(math.isfinite(mse) and mse > 0.8 * base,
              ja=f"4 つの関数をつなげて学習したモデルの、テストデータでの平均二乗誤差が {mse:.3g} で、すべての価格を平均で予測したときの {base:.3g} とほとんど変わりません。モデルが平均値しか学べていません。"
                 "損失で出力と正解の形がずれてブロードキャストされていないか (形 (B,) と (B, 1))、`predict` で標準化を忘れていないかを確かめてください。",
              en=f"The model your four functions train has a mean squared error of {mse:.3g} on the test data, hardly better than the {base:.3g} of predicting the mean price everywhere: it has learned little but the mean. "
                 "Check that the loss does not broadcast outputs and targets of different shapes ((B,) against (B, 1)), and that `predict` standardizes its input.")
    t.expect(math.isfinite(mse) and mse < 0.5 * base,
             ja=f"4 つの関数をつなげて学習したモデルの、テストデータでの平均二乗誤差が {mse:.3g} です。すべての価格を平均で予測しても {base:.3g} なので、その半分より小さくしてください。"
                "`prepare` の mean と std を `predict` にそのまま渡しているか、`train` が最良のエポックのパラメータをモデルに戻しているかを確かめてください。",
             en=f"The model your four functions train has a mean squared error of {mse:.3g} on the test data, while predicting the mean price for every district gives {base:.3g}: get below half of that. "
                "Check that `predict` gets the mean and std `prepare` returned, and that `train` loads the best epoch's parameters back into the model.")
