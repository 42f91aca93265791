"""Hidden checks for exercise 7.2 (train on the device).

Two runs of the student's `train_epoch`: one on the tutor's device (the CPU,
or CUDA where a GPU is used), compared with a reference epoch; one with the
`meta` device, where tensors have shapes but no values. On `meta` every tensor
that was not moved (or whose `.to()` result was dropped) stays on the CPU, and
the first operation that mixes it with the model fails; `DeviceLog` (see
_gpu.py) records the moves and that operation, so the check can say which
tensor stayed behind and why.
"""

import copy

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tutor.checkkit import TrainWatch, ZeroGradWatch, check, expect_first_loss, expect_trained

from _gpu import DeviceLog, call, describe, mentions_cuda

LR = 0.1
META = torch.device("meta")


class Batches:
    """The loader given to the student: a DataLoader that remembers the batches it handed out."""

    def __init__(self, x, y, batch_size):
        self.loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False)
        self.xs, self.ys = [], []

    def __iter__(self):
        for xb, yb in self.loader:
            self.xs.append(xb)
            self.ys.append(yb)
            yield xb, yb

    def __len__(self):
        return len(self.loader)


def _setup(t):
    d = t.rng.randint(3, 6)
    b = t.rng.choice([8, 12, 16])
    n = b * t.rng.randint(3, 5)
    x = t.randn(n, d)
    y = x @ t.randn(d, 1) + 0.1 * t.randn(n, 1)
    torch.manual_seed(t.seed)
    model = nn.Sequential(nn.Linear(d, 8), nn.Tanh(), nn.Linear(8, 1))
    return model, x, y, b


def _reference(model, x, y, b):
    ref = copy.deepcopy(model)
    opt = torch.optim.SGD(ref.parameters(), lr=LR)
    losses = []
    for xb, yb in DataLoader(TensorDataset(x, y), batch_size=b, shuffle=False):
        opt.zero_grad()
        loss = F.mse_loss(ref(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    return ref, losses


_NAMES = {"x": ("入力 x", "the inputs x"), "y": ("目標値 y", "the targets y"), "model": ("モデル", "the model")}


def _role(tensor, batches, model):
    if isinstance(tensor, nn.Parameter) or any(tensor is p for p in model.parameters()):
        return "model"
    if any(tensor is xb for xb in batches.xs):
        return "x"
    if any(tensor is yb for yb in batches.ys):
        return "y"
    return None


def _hard_coded_cuda(t, device):
    t.fail(ja=f"`device` は {device} ですが、GPU (\"cuda\") を使おうとしています。\"cuda\" を決め打ち (ハードコード) していませんか。`.to(\"cuda\")` や `.cuda()` ではなく `.to(device)` と書けば、GPU のないマシンでも同じコードが動きます。",
           en=f"`device` is {device}, yet your code used the GPU (\"cuda\"): is \"cuda\" hard-coded? Write `.to(device)` instead of `.to(\"cuda\")` or `.cuda()`, and the same code runs on a machine without a GPU.")


def _hard_coded_cpu(t, device, what_ja, what_en):
    t.fail(ja=f"`device` は {device} ですが、{what_ja} を CPU に移しています。\"cpu\" を決め打ちしていませんか。`.to(\"cpu\")` ではなく `.to(device)` と書いてください。",
           en=f"`device` is {device}, yet your code moves {what_en} to the CPU: is \"cpu\" hard-coded? Write `.to(device)`, not `.to(\"cpu\")`.")


def _copies_loss(t):
    t.fail(ja="ループの中で損失を CPU に写しています (`.item()`、`.cpu()`、`float()` など)。GPU では、そのたびに CPU が GPU の計算の終わりを待つことになります。`loss.detach()` のまま `device` に置いてリストに入れ、数値にするのはエポックの後で 1 回にしてください。(チェックは値をもたない meta デバイスでも実行するので、写そうとするとエラーになります。)",
           en="Your loop copies the loss to the CPU (`.item()`, `.cpu()`, `float()` ...): on a GPU this makes the CPU wait for the GPU at every mini-batch. Keep `loss.detach()` on `device` in the list and convert once after the epoch. (The check also runs your code on the meta device, whose tensors have no values to copy.)")


def _explain_exception(t, log, exc, device, batches, model):
    """Name the mistake behind an exception raised by train_epoch(…, device)."""
    if device.type != "cuda" and (log.moved_to("cuda") or mentions_cuda(exc)):
        _hard_coded_cuda(t, device)
    if device.type == "meta" and log.reads:
        _copies_loss(t)
    mixed = log.mixed()
    if mixed is not None:
        op, tensors = mixed
        stale = [x for x in tensors if x.device.type != device.type]
        for s in stale:
            role = _role(s, batches, model)
            if role in ("x", "y") and log.moved(s, device.type):
                ja, en = _NAMES[role]
                t.fail(ja=f"{ja} に `.to(device)` を呼んでいますが、結果を代入していません。テンソルの `.to()` は新しいテンソルを返すだけで、元のテンソルは {s.device} のままです。`{role} = {role}.to(device)` と代入してください (モデルの `.to()` はその場で移るので代入は要りません)。",
                       en=f"You call `.to(device)` on {en} but do not assign the result: a tensor's `.to()` returns a new tensor and leaves the original on {s.device}. Write `{role} = {role}.to(device)` (a model's `.to()` moves it in place; no assignment needed there).")
        cpu_moves = [m for m in log.moved_to("cpu")] if device.type != "cpu" else []
        if cpu_moves:
            role = _role(cpu_moves[0].source, batches, model) or "x"
            _hard_coded_cpu(t, device, *_NAMES[role])
        roles = [r for r in (_role(s, batches, model) for s in stale) if r]
        devices = sorted({str(x.device) for x in tensors})
        if "model" in roles:
            t.fail(ja=f"モデルが CPU にあるまま、{device} にあるミニバッチを入れています (`{op}` で {' と '.join(devices)} が混ざりました)。1 つの計算に使うテンソルは、すべて同じデバイスに置きます。ループの前に `model.to(device)` でモデルを移してください。",
                   en=f"The model is still on the CPU while the mini-batch is on {device} (`{op}` mixed {' and '.join(devices)}). Every tensor in one operation must be on the same device: move the model with `model.to(device)` before the loop.")
        for role in ("x", "y"):
            if role in roles:
                ja, en = _NAMES[role]
                t.fail(ja=f"{ja} が CPU に残ったまま、{device} にあるモデル (またはその出力) と一緒に計算されています (`{op}` で {' と '.join(devices)} が混ざりました)。ミニバッチの x と y は両方とも `{role} = {role}.to(device)` のように移してください。",
                       en=f"{en[0].upper() + en[1:]} stayed on the CPU and met the model (or its output) on {device} (`{op}` mixed {' and '.join(devices)}). Move both x and y of every mini-batch: `{role} = {role}.to(device)`.")
        t.fail(ja=f"`{op}` で {' と '.join(devices)} のテンソルが混ざっています。1 つの計算に使うテンソルは、すべて `device` に置いてください。",
               en=f"`{op}` mixed tensors on {' and '.join(devices)}: every tensor in one operation must be on `device`.")
    t.fail(ja=f"`train_epoch(..., device={device})` がエラーになりました: {describe(exc)}",
           en=f"`train_epoch(..., device={device})` raised {describe(exc)}")


def _check_losses(t, got, n, device):
    text = f"train_epoch(..., device={device})"
    t.expect(isinstance(got, (list, tuple)),
             ja=f"`{text}` が {type(got).__name__} を返しています。ミニバッチごとの損失のリストを返してください。",
             en=f"`{text}` should return a list of the mini-batch losses but returned a {type(got).__name__}.")
    t.expect(len(got) == n,
             ja=f"`{text}` が返した損失は {len(got)} 個です。ミニバッチごとに 1 つ、{n} 個の損失を記録してください。",
             en=f"`{text}` returned {len(got)} losses: record one per mini-batch, {n} in all.")
    for i, loss in enumerate(got):
        if isinstance(loss, (int, float)):
            _copies_loss(t)
        t.expect(isinstance(loss, torch.Tensor),
                 ja=f"損失 [{i}] がテンソルではなく {type(loss).__name__} です。`loss.detach()` を入れてください。",
                 en=f"Loss [{i}] is a {type(loss).__name__}, not a tensor: append `loss.detach()`.")
        t.mistake(loss.requires_grad,
                  ja="返した損失がまだ計算グラフにつながっています (`requires_grad=True`)。そのままリストに入れると、ミニバッチごとの計算グラフと途中の値がすべて (GPU なら GPU のメモリに) 残り続けます。`loss.detach()` を入れてください。",
                  en="The losses you return are still attached to their graphs (`requires_grad=True`): kept in a list, every mini-batch's graph and intermediate values stay in memory (GPU memory, on a GPU). Append `loss.detach()`.")
        t.expect(loss.numel() == 1,
                 ja=f"損失 [{i}] の要素数が {loss.numel()} になっています。`nn.MSELoss()` の平均 (要素 1 つ) にしてください。",
                 en=f"Loss [{i}] has {loss.numel()} elements; it should be the mean from `nn.MSELoss()` (one element).")
        if loss.device.type != device.type:
            if loss.device.type == "cpu":
                _copies_loss(t)
            t.fail(ja=f"損失 [{i}] が {loss.device} にあります。{device} に置いてください。",
                   en=f"Loss [{i}] is on {loss.device} but should be on {device}.")


@check(ja="このデバイスで 1 エポック学習すると、参照解と同じ損失とパラメータになる",
       en="one epoch on this device gives the reference's losses and parameters")
def trains_like_reference(t):
    model, x, y, b = _setup(t)
    ref, ref_losses = _reference(model, x, y, b)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    batches = Batches(x, y, b)
    with DeviceLog() as log, ZeroGradWatch() as grads, TrainWatch() as watch:
        got, exc = call(t, "train_epoch", model, optimizer, batches, t.device)
    if exc is not None:
        _explain_exception(t, log, exc, t.device, batches, model)
    name = f"train_epoch(model, optimizer, loader, {t.device})"
    expect_trained(t, watch, name=name, given=optimizer, model=model, exact=True, steps=len(batches),
                   steps_what=(f"1 エポック ({len(batches)} ミニバッチ)", f"one epoch of {len(batches)} mini-batches"))
    t.mistake(grads.never_zeroed,
              ja="勾配を消さずに `backward()` を続けています。ミニバッチごとに `optimizer.zero_grad()` を呼んでください。",
              en="`backward()` keeps adding to gradients nobody cleared: call `optimizer.zero_grad()` for every mini-batch.")
    first = y[:b]
    expect_first_loss(t, watch, lambda out, _: ((out.cpu() - first) ** 2).mean(), name=name,
                      what=("最初のミニバッチの平均二乗誤差 (`nn.MSELoss()`)", "the mean squared error (`nn.MSELoss()`) of the first mini-batch"),
                      wrong=[(lambda out, _: (out.cpu() - first).abs().mean(),
                              f"`{name}` の損失が差の絶対値の平均 (L1 損失、`nn.L1Loss`) です。損失関数は `nn.MSELoss()` (平均二乗誤差) にしてください。",
                              f"`{name}` trains with the mean absolute difference (the L1 loss, `nn.L1Loss`): use `nn.MSELoss()`, the mean squared error."),
                             (lambda out, _: ((torch.sigmoid(out.cpu()) - first) ** 2).mean(),
                              f"`{name}` はモデルの出力にシグモイド関数 (sigmoid) をかけてから損失を計算しています。回帰では出力をそのまま `nn.MSELoss()` に渡してください。",
                              f"`{name}` puts the model's output through a sigmoid before the loss: in regression the outputs go into `nn.MSELoss()` as they are.")])
    _check_losses(t, got, len(ref_losses), t.device)
    for i, (g, r) in enumerate(zip(got, ref_losses)):
        t.tensor(g.detach().reshape(()).cpu(), r, name=f"loss of mini-batch {i}", atol=1e-5, rtol=1e-4)
    for (name, p), q in zip(model.named_parameters(), ref.parameters()):
        t.expect(p.device.type == t.device.type,
                 ja=f"学習後のパラメータ `{name}` が {p.device} にあります。{t.device} に置いてください。",
                 en=f"After training, parameter `{name}` is on {p.device} but should be on {t.device}.")
        t.tensor(p.detach().cpu(), q.detach(), name=f"parameter {name} after one epoch", atol=1e-5, rtol=1e-4)


@check(ja="どのデバイスでも動く: モデルとミニバッチが `device` に移る (meta デバイスで確かめる)",
       en="device-agnostic: the model and every mini-batch go to `device` (tried on the meta device)")
def moves_everything(t):
    model, x, y, b = _setup(t)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    batches = Batches(x, y, b)
    with DeviceLog() as log:
        got, exc = call(t, "train_epoch", model, optimizer, batches, META)
    if exc is not None:
        _explain_exception(t, log, exc, META, batches, model)
    off = [(n, p.device) for n, p in model.named_parameters() if p.device.type != "meta"]
    if off:
        if log.moved_to("cuda"):
            _hard_coded_cuda(t, META)
        param_cpu = [m for m in log.moved_to("cpu") if m.is_param]
        if param_cpu:
            _hard_coded_cpu(t, META, *_NAMES["model"])
        name, where = off[0]
        t.fail(ja=f"`train_epoch(..., device=meta)` のあとも、モデルのパラメータ `{name}` が {where} にあります。`model.to(device)` でモデルを `device` に移してください。",
               en=f"After `train_epoch(..., device=meta)` the model's parameter `{name}` is still on {where}: move the model with `model.to(device)`.")
    if log.moved_to("cuda"):
        _hard_coded_cuda(t, META)
    _check_losses(t, got, len(batches), META)
