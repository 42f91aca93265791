"""Helpers shared by the MNIST lesson's checks of student-written classifiers (5.3, 5.4, 5.7)."""

import torch
from torch import nn

from _mnist import course_images, name_error, output_kind, softmax_fail, subset


def module_lists(model):
    """Names of plain lists/tuples/dicts on the model that hold modules (their parameters are not registered)."""
    found = []
    for key, value in vars(model).items():
        if key.startswith("_") and isinstance(value, dict):
            continue  # nn.Module's own bookkeeping (_parameters, _modules, ...)
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
        if any(isinstance(v, nn.Module) for v in items):
            found.append(key)
    return found


def build(t, cls_name, *args, layers, params):
    """Instantiate the student's class and check its fully connected layers and parameter count.

    layers: the expected [(in, out), ...] of its nn.Linear layers, in order.
    Returns (model, [nn.Linear, ...]).
    """
    try:
        model = t.call(cls_name, *args)
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc):
            t.fail(ja=f"`{cls_name}` の `__init__` で `super().__init__()` を呼んでいません (または層を作ったあとで呼んでいます)。`__init__` の最初の行で呼んでください ({exc})。",
                   en=f"`{cls_name}.__init__` does not call `super().__init__()` (or calls it after making the layers). Call it on the first line of `__init__` ({exc}).")
        raise
    t.expect(isinstance(model, nn.Module),
             ja=f"`{cls_name}(...)` が nn.Module ではありません ({type(model).__name__})。`class {cls_name}(nn.Module):` と継承してください。",
             en=f"`{cls_name}(...)` is not an nn.Module (a {type(model).__name__}). Inherit from it: `class {cls_name}(nn.Module):`.")
    count = sum(p.numel() for p in model.parameters())
    lists = module_lists(model)
    t.mistake(count != params and bool(lists),
              ja=f"`{cls_name}` の層が普通の Python のリスト (`self.{lists[0] if lists else ''}`) に入っているため、パラメータが登録されていません "
                 f"(`parameters()` の数値は {count} 個です)。層は属性にするか、`nn.ModuleList` / `nn.Sequential` に入れてください。",
              en=f"The layers of `{cls_name}` are in a plain Python list (`self.{lists[0] if lists else ''}`), so their parameters are not registered "
                 f"(`parameters()` holds {count} numbers). Make the layers attributes, or put them in `nn.ModuleList` / `nn.Sequential`.")
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    got = [(m.in_features, m.out_features) for m in linears]
    want = ", ".join(f"Linear{s}" for s in layers)
    t.expect(got == list(layers),
             ja=f"`{cls_name}` の全結合層が {', '.join(f'Linear{s}' for s in got) or 'ありません'} になっています。{want} にしてください。",
             en=f"The fully connected layers of `{cls_name}` are {', '.join(f'Linear{s}' for s in got) or 'none'}, but should be {want}.")
    t.expect(all(m.bias is not None for m in linears),
             ja=f"`{cls_name}` の全結合層にバイアスのないもの (`bias=False`) があります。",
             en=f"`{cls_name}` has a fully connected layer without a bias (`bias=False`).")
    t.expect(count == params,
             ja=f"`{cls_name}` のパラメータの数が {count} になっています。{params:,} にしてください。",
             en=f"`{cls_name}` has {count} parameters, but should have {params:,}.")
    return model, linears


def images(t, n):
    """n real test images (course transform) to probe a forward pass with."""
    x, _ = course_images(False, subset(t, False, n))
    return x


def forward(t, model, x, cls_name):
    """model(x), turning PyTorch's errors for the usual mistakes into named failures."""
    try:
        with torch.no_grad():
            return model(x)
    except NotImplementedError as exc:
        if "forward" not in str(exc):
            raise
        t.fail(ja=f"`{cls_name}` に `forward` がありません。計算の中身は `def forward(self, x):` という名前のメソッドに書きます (つづりと字下げを確かめてください)。",
               en=f"`{cls_name}` has no `forward`. The computation goes into a method named exactly `def forward(self, x):` (check the spelling and the indentation).")
    except RuntimeError as exc:
        name_error(t, exc, f"{cls_name}(...)(images)")


def judge_logits(t, out, logits, cls_name, allow_log_softmax=True):
    """The forward's output against the right logits: names softmax at the output and other slips."""
    n = logits.shape[0]
    plain = t.shape(out, (n, 10), name=f"{cls_name}(...)(images)")
    kind = output_kind(plain, logits)
    if kind == "softmax":
        softmax_fail(t, cls_name)
    t.mistake(kind == "dim0",
              ja=f"`{cls_name}` の出力で、ソフトマックス関数 (log-softmax) をサンプルの次元 (`dim=0`) にかけています。クラスの次元は `dim=1` です。"
                 "また、`nn.CrossEntropyLoss` で学習するモデルなら、出力はロジットのままにします。",
              en=f"`{cls_name}` applies its softmax (log-softmax) across the samples (`dim=0`); the classes are `dim=1`. "
                 "And a model trained with `nn.CrossEntropyLoss` returns logits as they are.")
    if kind == "logits" or (kind == "log_softmax" and allow_log_softmax):
        return kind
    t.tensor(plain, logits, name=f"{cls_name}(...)(images)", atol=1e-4)
    return kind
