"""Helpers shared by the cnn lesson's checks: MNIST subsets, building and running
student models with named messages, and probes that watch a training run.

Imported by the check files as `from _cnn import ...` (the harness puts this
folder on sys.path).
"""

from __future__ import annotations

import contextlib
import re

import torch
import torch.nn.functional as F
from torch import nn

from tutor.checkkit import Quiet

# Bound at import, before any student code runs.
_CROSS_ENTROPY = F.cross_entropy
_MSE = F.mse_loss
_NLL = F.nll_loss
_OPT_INIT = torch.optim.Optimizer.__init__
_equal = torch.equal

_MNIST: dict[bool, tuple[torch.Tensor, torch.Tensor]] = {}


# -- data -----------------------------------------------------------------------


def mnist(train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """All images (uint8, (N, 28, 28)) and labels (int64, (N,)) of the shipped MNIST copy."""
    if train not in _MNIST:
        from torchvision import datasets

        from tutor.checkkit import mnist_root

        ds = datasets.MNIST(root=mnist_root(), train=train, download=False)
        _MNIST[train] = (ds.data, ds.targets)
    return _MNIST[train]


def as_input(images: torch.Tensor) -> torch.Tensor:
    """uint8 (N, 28, 28) -> float32 (N, 1, 28, 28), exactly what the course's
    `ToTensor()` + `Normalize((0.5,), (1.0,))` give: values in [-0.5, 0.5]."""
    return (images.float() / 255.0 - 0.5).unsqueeze(1).contiguous()


def pick(t, train: bool, n: int, digits=None):
    """n images chosen per run (from the given digits only, if any) and their labels,
    from the training images (train=True) or the held-out test images (train=False)."""
    images, labels = mnist(train)
    if digits is None:
        pool = torch.arange(len(labels))
    else:
        pool = torch.nonzero(torch.isin(labels, torch.tensor(list(digits)))).flatten()
    chosen = pool[torch.randperm(len(pool), generator=t.gen)[:n]]
    return as_input(images[chosen]), labels[chosen].clone()


def loader(t, X, y, batch_size=32, shuffle=True):
    """A DataLoader over (X, y) whose shuffling is fixed by the run's seed."""
    g = torch.Generator().manual_seed(t.seed % (2**63))
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=batch_size,
                                       shuffle=shuffle, generator=g)


@torch.no_grad()
def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor, batch: int = 500) -> float:
    """Fraction of correct argmax predictions, in eval mode."""
    model.eval()
    right = 0
    for i in range(0, len(X), batch):
        right += int((model(X[i:i + batch]).argmax(dim=1) == y[i:i + batch]).sum())
    return right / len(X)


# -- building and running a student's model --------------------------------------


def build(t, cls_name: str, *args):
    """Instantiate the student's class, naming a missing `super().__init__()`."""
    try:
        model = t.call(cls_name, *args)
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc) or "_modules" in str(exc) or "_parameters" in str(exc):
            super_failure(t, cls_name, exc)
        raise
    t.expect(isinstance(model, nn.Module),
             ja=f"`{cls_name}()` が nn.Module ではありません ({type(model).__name__})。`class {cls_name}(nn.Module):` と継承してください。",
             en=f"`{cls_name}()` is not an nn.Module (a {type(model).__name__}). Inherit from it: `class {cls_name}(nn.Module):`.")
    if "_modules" not in vars(model):
        super_failure(t, cls_name, "no _modules")
    return model


def super_failure(t, cls_name, exc):
    t.fail(ja=f"`{cls_name}` の `__init__` で `super().__init__()` を呼んでいません (または層を作ったあとで呼んでいます)。"
              f"`__init__` の最初の行で呼んでください ({exc})。",
           en=f"`{cls_name}.__init__` does not call `super().__init__()` (or calls it after making the layers). "
              f"Call it on the first line of `__init__` ({exc}).")


def flatten_failure(t, cls_name: str, detail_ja: str, detail_en: str):
    t.fail(ja=f"`{cls_name}` の平坦化のサイズが合っていません。{detail_ja}"
              "畳み込み層とプーリング層を通ったあとの特徴マップの形 (チャネル数, 高さ, 幅) を出力サイズの公式で求め、"
              "その積を最初の全結合層の入力数にしてください。平坦化は `x.view(x.size(0), -1)` か `nn.Flatten()` で、バッチの次元を残して行います。",
           en=f"`{cls_name}` has the wrong flatten size. {detail_en} "
              "Work out the shape (channels, height, width) of the feature map after the conv and pooling layers with the output-size formula, "
              "and make their product the input size of the first fully connected layer. Flatten with `x.view(x.size(0), -1)` or `nn.Flatten()`, keeping the batch dimension.")


_MATMUL = re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)")
_VIEW = re.compile(r"shape '\[(.*?)\]' is invalid for input of size (\d+)")


def run_model(t, model: nn.Module, x: torch.Tensor, cls_name: str, n_out: int = 10) -> torch.Tensor:
    """model(x) for a batch x of shape (N, C, H, W); the output must be (N, n_out).

    A RuntimeError from the fully connected part, or a batch size that changed on
    the way, is reported as a wrong flatten size.
    """
    n = x.shape[0]
    try:
        out = model(x)
    except NotImplementedError as exc:
        if "forward" not in str(exc):
            raise
        t.fail(ja=f"`{cls_name}` に `forward` がありません。計算の中身は `def forward(self, x):` という名前のメソッドに書きます。",
               en=f"`{cls_name}` has no `forward`. The computation goes into a method named exactly `def forward(self, x):`.")
    except RuntimeError as exc:
        text = str(exc)
        m = _MATMUL.search(text)
        if m:
            rows, got, want = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if rows == 1 and n > 1 and got % n == 0:
                flatten_failure(t, cls_name,
                                f"バッチ {n} 枚の特徴マップが 1 行 ({got} 個) に平坦化されていて、バッチの次元が消えています。",
                                f"The feature maps of a batch of {n} images were flattened into one row of {got} numbers: the batch dimension is gone.")
            flatten_failure(t, cls_name,
                            f"特徴マップを平坦化すると 1 枚あたり {got} 個の数になりますが、全結合層は {want} 個の入力を受け取るように作られています。",
                            f"The feature map flattens to {got} numbers per image, but the fully connected layer was built for {want} inputs.")
        m = _VIEW.search(text)
        if m:
            flatten_failure(t, cls_name,
                            f"`view([{m.group(1)}])` で形を変えようとしましたが、特徴マップ全体の要素数は {m.group(2)} (= {n} 枚分) で、割り切れません。",
                            f"`view([{m.group(1)}])` cannot reshape the feature maps: they hold {m.group(2)} numbers in all ({n} images).")
        raise
    if not isinstance(out, torch.Tensor):
        t.shape(out, (n, n_out), name=f"{cls_name}()(x)")  # fails: names what it is instead
    plain = out.detach()
    if plain.dim() == 2 and plain.shape[0] != n and plain.shape[1] == n_out:
        flatten_failure(t, cls_name,
                        f"{n} 枚の画像を入れたのに、出力が {plain.shape[0]} 行になっています。`view(-1, ...)` に渡したサイズが特徴マップの大きさと違うため、バッチの枚数が変わってしまいました。",
                        f"A batch of {n} images came out as {plain.shape[0]} rows: the size given to `view(-1, ...)` differs from the feature map's, so the batch size changed.")
    if n == 1 and plain.dim() == 1 and plain.shape[0] == n_out:
        flatten_failure(t, cls_name,
                        f"1 枚だけのバッチ (1, C, H, W) を入れると、出力の形が ({n_out},) になり、バッチの次元が消えています。`torch.flatten(x)` は既定ではバッチの次元まで平らにします。",
                        f"For a batch of one image (1, C, H, W) the output has shape ({n_out},): the batch dimension is gone. `torch.flatten(x)` flattens the batch dimension too unless you pass `start_dim=1`.")
    t.shape(plain, (n, n_out), name=f"{cls_name}()(x)")
    return out


def macs_per_image(model: nn.Module, x: torch.Tensor) -> float:
    """Multiply-adds per image of the Conv2d and Linear layers on input x (a rough cost)."""
    total = [0.0]

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1] * module.in_channels // module.groups
            total[0] += output.numel() / x.shape[0] * k
        elif isinstance(module, nn.Linear):
            total[0] += output.numel() / x.shape[0] * module.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total[0]


# -- watching a training run ---------------------------------------------------------


_PASS = ("View", "Reshape", "Squeeze", "Unsqueeze", "Clone", "ToCopy", "Alias")


def _softmaxed(tensor) -> bool:
    fn = getattr(tensor, "grad_fn", None)
    while fn is not None:
        name = type(fn).__name__
        if name.startswith(("Softmax", "LogSoftmax")):
            return name.startswith("Softmax")
        if not name.startswith(_PASS):
            return False
        nxt = [f for f, _ in fn.next_functions if f is not None]
        fn = nxt[0] if nxt else None
    return False


@contextlib.contextmanager
def spy_losses(seen: set, values: list | None = None):
    """Note a softmax fed to cross entropy, and one-hot/float targets, while the block runs.

    `values`, if given, gets every mini-batch loss (a float) the student's cross entropy computed, for the figures.
    """
    def cross_entropy(input, target, *args, **kwargs):
        if _softmaxed(input):
            seen.add("softmax")
        if isinstance(target, torch.Tensor) and target.is_floating_point():
            seen.add("float_target")
        seen.add("ce")
        loss = _CROSS_ENTROPY(input, target, *args, **kwargs)
        if values is not None and isinstance(loss, torch.Tensor) and loss.numel() == 1:
            values.append(float(loss.detach()))
        return loss

    def mse_loss(*args, **kwargs):
        seen.add("mse")
        return _MSE(*args, **kwargs)

    F.cross_entropy, F.mse_loss = cross_entropy, mse_loss
    try:
        yield
    finally:
        F.cross_entropy, F.mse_loss = _CROSS_ENTROPY, _MSE


def softmax_failure(t):
    t.fail(ja="モデルの出力にソフトマックス関数をかけてから `nn.CrossEntropyLoss` に渡しています。`CrossEntropyLoss` は中でソフトマックス関数 (log-softmax) を計算するので、"
              "生の出力 (ロジット) をそのまま渡してください。モデルの最後にソフトマックス関数を置かないでください。",
           en="You apply a softmax to the model's output before `nn.CrossEntropyLoss`. `CrossEntropyLoss` contains the softmax (log-softmax) itself: "
              "give it the raw outputs (logits), and do not end the model with a softmax.")


@contextlib.contextmanager
def spy_optimizers(made: list):
    """Record every optimizer created while the block runs."""
    def init(self, params, defaults):
        _OPT_INIT(self, params, defaults)
        made.append(self)

    torch.optim.Optimizer.__init__ = init
    try:
        yield
    finally:
        torch.optim.Optimizer.__init__ = _OPT_INIT


def same_state(before: dict, module: nn.Module) -> list[str]:
    """Names of the parameters and buffers of `module` that differ (even by one bit) from `before`."""
    now = module.state_dict()
    changed = [k for k in before if k not in now]
    for k, v in now.items():
        if k not in before or v.shape != before[k].shape or v.dtype != before[k].dtype or not _equal(v, before[k]):
            changed.append(k)
    return changed


def snapshot(module: nn.Module) -> dict:
    """A deep copy of a module's state (parameters and buffers)."""
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


# -- figures: drawn from the student's own run, never part of the verdict ------------


def draw_losses(t, losses, batch_losses) -> None:
    """The mean loss per epoch the student's training returned, and every mini-batch loss it computed."""
    t.plot_line("loss", ja="エポックごとの損失", en="loss per epoch", lines={"loss": losses},
                x_label=("エポック", "epoch"), y_label=("損失", "loss"))
    if len(batch_losses) >= 2:
        t.plot_line("batch_loss", ja="ミニバッチごとの損失", en="loss per mini-batch", lines={"loss": batch_losses},
                    x_label=("ミニバッチ", "mini-batch"), y_label=("損失", "loss"))


def draw_model(t, model: nn.Module, X: torch.Tensor, y: torch.Tensor, names=None, digits: bool = True,
               conv: bool = True, n: int = 24) -> None:
    """From one quiet forward pass over the first n held-out images: the digits with
    "true/predicted" labels (mistakes marked) if `digits`, and, if `conv`, the
    learned kernels of the first convolution the forward pass runs and its
    feature maps for the first image.

    `names[k]` is what class k stands for (the digit, when classes were relabelled).
    """
    first = []

    def hook(module, inputs, output):
        if not first and isinstance(output, torch.Tensor):
            first.append((module, output.detach()))

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    try:
        with Quiet(model):
            pred = model(X[:n]).argmax(dim=1).detach().cpu().long()
    except Exception:
        return
    finally:
        for h in handles:
            h.remove()
    try:
        _draw_model(t, first if conv else [], pred, X[:n], y[:n], names, digits)
    except Exception:  # whatever the student's model is, a figure never changes the verdict
        return


def _draw_model(t, first, pred, X, y, names, digits):
    if digits and len(pred) == len(X):
        name = (lambda k: str(names[k]) if 0 <= k < len(names) else str(k)) if names is not None else str
        t.plot_images("digits", ja="テスト画像 (正解/予測)", en="test images (true/predicted)", images=X,
                      labels=[f"{name(a)}/{name(b)}" for a, b in zip(y.tolist(), pred.tolist())],
                      marks=(pred != y).tolist())
    if not first:
        return  # no nn.Conv2d ran (a convolution written with F.conv2d): nothing to show
    conv, out = first[0]
    kernels = conv.weight.detach().cpu()
    c_in = kernels.shape[1]
    if c_in == 1:
        pictures, labels = kernels[:32, 0], [str(o + 1) for o in range(min(32, len(kernels)))]
    else:  # colour input: each output channel's kernel for each input channel (R, G, B)
        shown = kernels[:max(1, 48 // c_in)]
        pictures = shown.reshape(-1, kernels.shape[-2], kernels.shape[-1])
        channel = "RGB" if c_in == 3 else [str(c) for c in range(c_in)]
        labels = [f"{o + 1}{channel[c]}" for o in range(len(shown)) for c in range(c_in)]
    t.plot_images("kernels", ja="1 層目の畳み込みのカーネル", en="first conv layer's kernels", images=pictures,
                  labels=labels, cmap="diverging")
    maps = out[0, :16].cpu()
    image = X[0].detach().cpu().float().mean(dim=0, keepdim=True)  # the input (grey; colour averaged)
    if image.shape[-2:] == maps.shape[-2:]:
        maps, labels = torch.cat([image, maps]), ["input"] + [f"ch{c + 1}" for c in range(len(maps))]
    else:
        labels = [f"ch{c + 1}" for c in range(len(maps))]
    t.plot_images("feature_map", ja="1 層目の特徴マップ (テスト画像 1 枚)", en="first conv layer's feature maps (one test image)",
                  images=maps, labels=labels)
