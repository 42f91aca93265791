"""Hidden checks for exercise 4.4 (an MLP as an nn.Module subclass and as nn.Sequential)."""

import torch
from torch import nn

from tutor.checkkit import check
from _models import _module_lists, _super_failure  # checks/mlp/_models.py

_relu, _sigmoid = torch.relu, torch.sigmoid


# -- private helpers: building the student's model and naming the usual mistakes --


def build(t, cls_name, *args):
    """Instantiate the student's nn.Module class; name a missing super().__init__()."""
    try:
        model = t.call(cls_name, *args)
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc) or "_parameters" in str(exc) or "_modules" in str(exc):
            _super_failure(t, cls_name, exc)
        raise
    t.expect(isinstance(model, nn.Module),
             ja=f"`{cls_name}(...)` が nn.Module ではありません ({type(model).__name__})。`class {cls_name}(nn.Module):` と nn.Module を継承してください。",
             en=f"`{cls_name}(...)` is not an nn.Module (a {type(model).__name__}). Inherit from it: `class {cls_name}(nn.Module):`.")
    if "_modules" not in vars(model):
        _super_failure(t, cls_name, "no _modules")
    return model


def check_registered(t, model, expected_count, name):
    """The model's registered parameters: named plain lists first, then the count."""
    params = list(model.parameters())
    count = sum(p.numel() for p in params)
    lists = _module_lists(model)
    t.mistake(count != expected_count and bool(lists),
              ja=f"`{name}` の層が普通の Python のリスト (`self.{lists[0] if lists else ''}`) に入っているため、そのパラメータが登録されていません "
                 f"(`model.parameters()` の数値は {count} 個だけで、{expected_count} 個のはずです)。これでは最適化手法が層を学習できません。"
                 "層はそれぞれ属性にするか、`nn.ModuleList` / `nn.Sequential` に入れてください。",
              en=f"The layers of `{name}` are kept in a plain Python list (`self.{lists[0] if lists else ''}`), so their parameters are not registered "
                 f"(`model.parameters()` holds only {count} number(s), {expected_count} expected) and no optimizer would ever train them. "
                 "Make each layer an attribute, or put them in `nn.ModuleList` / `nn.Sequential`.")
    t.expect(count == expected_count,
             ja=f"`{name}` に登録されたパラメータが {count} 個になっています。{expected_count} 個にしてください。層の大きさと、層をすべて `self` の属性にしたかを確かめてください。",
             en=f"`{name}` has {count} registered parameters but should have {expected_count}. Check the layer sizes and that every layer is an attribute of `self`.")


def linears(t, model, sizes, name):
    """The model's nn.Linear layers, checked against sizes [(in, out), ...]."""
    found = [m for m in model.modules() if isinstance(m, nn.Linear)]
    got = [(m.in_features, m.out_features) for m in found]
    if got != sizes and _module_lists(model):
        check_registered(t, model, sum(i * o + o for i, o in sizes), name)  # names the plain list
    want = ", ".join(f"Linear{s}" for s in sizes)
    t.expect(bool(got),
             ja=f"`{name}` に全結合層 (`nn.Linear`) が見つかりません。{want} を `self` の属性として持たせてください。",
             en=f"`{name}` has no fully connected layer (`nn.Linear`) that nn.Module can see. Keep {want} as attributes of `self`.")
    t.expect(got == sizes,
             ja=f"`{name}` の全結合層が {', '.join(f'Linear{s}' for s in got)} になっています。{want} にしてください。",
             en=f"The fully connected layers of `{name}` are {', '.join(f'Linear{s}' for s in got)}, but should be {want}.")
    return found


def forward(t, model, x, name):
    """model(x), naming a missing or misspelt forward."""
    try:
        with torch.no_grad():
            return model(x)
    except NotImplementedError as exc:
        if "forward" not in str(exc):
            raise
        t.fail(ja=f"`{name}` に `forward` がありません。計算の中身は `def forward(self, x):` という名前のメソッドに書きます (つづりと字下げを確かめてください)。",
               en=f"`{name}` has no `forward`. The computation goes into a method named exactly `def forward(self, x):` (check the spelling and the indentation).")


def _no_activation_failure(t, name):
    t.fail(ja=f"`{name}` の 2 つの全結合層の間に活性化関数 (ReLU) がありません。活性化関数がないと、2 つの層は 1 つのアフィン変換とまったく同じになり (演習 4.1)、"
              "層を重ねた意味がなくなります。1 つ目の全結合層のあとに ReLU を入れてください。",
           en=f"`{name}` has no activation (ReLU) between its two fully connected layers. Without one the two layers are exactly one affine map (Exercise 4.1) "
              "and stacking them gains nothing: put a ReLU after the first fully connected layer.")


# -- the checks ---------------------------------------------------------------

def _sizes(t):
    return t.rng.sample(range(2, 12), 3)


def _set_weights(t, layers):
    with torch.no_grad():
        for layer in layers:
            layer.weight.copy_(t.randn(*layer.weight.shape))
            layer.bias.copy_(t.randn(*layer.bias.shape))


def _expected(layers, x):
    (W1, b1), (W2, b2) = ((m.weight.detach(), m.bias.detach()) for m in layers)
    hidden = x @ W1.T + b1
    return _relu(hidden) @ W2.T + b2, hidden @ W2.T + b2


def _compare(t, out, x, layers, n_out, name):
    right, linear = _expected(layers, x)
    plain = t.shape(out, (x.shape[0], n_out), name=f"{name}(x)")
    close = lambda a, b: bool(torch.allclose(a.double(), b.double(), atol=1e-4, rtol=1e-4))
    if close(plain, linear) and not close(right, linear):
        _no_activation_failure(t, name)
    t.mistake(close(plain, _sigmoid(right)),
              ja=f"`{name}` の出力にシグモイド関数がかかっています。この演習のネットワークは、最後の全結合層の値をそのまま出力します。",
              en=f"The output of `{name}` goes through a sigmoid. This exercise's network returns the last fully connected layer's value as it is.")
    t.tensor(plain, right, name=f"{name}(x)", atol=1e-4, rtol=1e-4)


@check(ja="nn.Module のサブクラスとして作れ、パラメータが登録されている", en="the nn.Module subclass builds and registers its parameters")
def module_params(t):
    n_in, n_hidden, n_out = _sizes(t)
    name = f"TwoLayerNet({n_in}, {n_hidden}, {n_out})"
    model = build(t, "TwoLayerNet", n_in, n_hidden, n_out)
    check_registered(t, model, n_in * n_hidden + n_hidden + n_hidden * n_out + n_out, name)
    linears(t, model, [(n_in, n_hidden), (n_hidden, n_out)], name)
    t.expect(any(True for _ in model.children()),
             ja=f"`{name}` に子モジュールがありません。層は `self` の属性にしてください。",
             en=f"`{name}` has no child modules: make the layers attributes of `self`.")


@check(ja="forward が W2 ReLU(W1 x + b1) + b2 を計算する", en="forward computes W2 ReLU(W1 x + b1) + b2")
def module_forward(t):
    n_in, n_hidden, n_out = _sizes(t)
    name = f"TwoLayerNet({n_in}, {n_hidden}, {n_out})"
    model = build(t, "TwoLayerNet", n_in, n_hidden, n_out)
    layers = linears(t, model, [(n_in, n_hidden), (n_hidden, n_out)], name)
    _set_weights(t, layers)
    x = t.randn(t.rng.randint(5, 12), n_in)
    _compare(t, forward(t, model, x, name), x, layers, n_out, name)


def _make_sequential(t, n_in, n_hidden, n_out):
    name = f"make_sequential({n_in}, {n_hidden}, {n_out})"
    try:
        seq = t.call("make_sequential", n_in, n_hidden, n_out)
    except TypeError as exc:
        if "is not a Module subclass" not in str(exc):
            raise
        t.fail(ja=f"`{name}` で `nn.Sequential` にリストを 1 つ渡しています ({exc})。`nn.Sequential` には層を別々の引数として渡します: `nn.Sequential(層1, 活性化関数, 層2)`、リストなら `nn.Sequential(*layers)`。",
               en=f"`{name}` passes one list to `nn.Sequential` ({exc}). It takes the layers as separate arguments: `nn.Sequential(layer1, activation, layer2)`, or `nn.Sequential(*layers)` for a list.")
    t.expect(isinstance(seq, nn.Sequential),
             ja=f"`{name}` が {type(seq).__name__} を返しています。nn.Sequential を返してください。",
             en=f"`{name}` should return an nn.Sequential but returned a {type(seq).__name__}.")
    return seq


@check(ja="nn.Sequential で同じモデルを書く", en="the same model as nn.Sequential")
def sequential(t):
    n_in, n_hidden, n_out = _sizes(t)
    name = f"make_sequential({n_in}, {n_hidden}, {n_out})"
    seq = _make_sequential(t, n_in, n_hidden, n_out)
    kinds = [type(m).__name__ for m in seq]
    if kinds == ["Linear", "Linear"]:
        _no_activation_failure(t, name)
    t.expect(kinds == ["Linear", "ReLU", "Linear"],
             ja=f"`{name}` の中身が [{', '.join(kinds)}] になっています。[Linear, ReLU, Linear] の順にしてください。",
             en=f"`{name}` holds [{', '.join(kinds)}], but should hold [Linear, ReLU, Linear] in this order.")
    check_registered(t, seq, n_in * n_hidden + n_hidden + n_hidden * n_out + n_out, name)
    layers = linears(t, seq, [(n_in, n_hidden), (n_hidden, n_out)], name)
    _set_weights(t, layers)
    x = t.randn(t.rng.randint(5, 12), n_in)
    _compare(t, forward(t, seq, x, name), x, layers, n_out, name)


@check(ja="クラス版と nn.Sequential 版は同じ重みなら同じ出力になる", en="with the same weights the class and nn.Sequential agree")
def same_model(t):
    n_in, n_hidden, n_out = _sizes(t)
    sizes = [(n_in, n_hidden), (n_hidden, n_out)]
    model = build(t, "TwoLayerNet", n_in, n_hidden, n_out)
    seq = _make_sequential(t, n_in, n_hidden, n_out)
    a = linears(t, model, sizes, f"TwoLayerNet({n_in}, {n_hidden}, {n_out})")
    b = linears(t, seq, sizes, f"make_sequential({n_in}, {n_hidden}, {n_out})")
    _set_weights(t, a)
    with torch.no_grad():
        for src, dst in zip(a, b):
            dst.weight.copy_(src.weight)
            dst.bias.copy_(src.bias)
    x = t.randn(8, n_in)
    out_model = t.shape(forward(t, model, x, "TwoLayerNet"), (8, n_out), name="TwoLayerNet(x)")
    t.tensor(forward(t, seq, x, "make_sequential"), out_model, name="make_sequential(...)(x) vs TwoLayerNet(...)(x)", atol=1e-5, rtol=1e-4)
