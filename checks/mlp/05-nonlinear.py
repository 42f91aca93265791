"""Hidden checks for exercise 4.5 (the lab's 2-15-1 MLP separates data a line cannot)."""

import contextlib
import math

import torch
import torch.nn.functional as F
from torch import nn

from tutor.checkkit import TrainWatch, check, expect_first_loss, expect_trained
from _models import _module_lists, _super_failure  # checks/mlp/_models.py

_relu, _sigmoid, _equal = torch.relu, torch.sigmoid, torch.equal
_BCE_LOGITS, _BCE, _CROSS_ENTROPY = F.binary_cross_entropy_with_logits, F.binary_cross_entropy, F.cross_entropy

THRESHOLD = 0.95          # test accuracy to reach; the 2-15-1 MLP gets 0.99+, a straight line at most about 0.92
N_TRAIN, N_TEST = 200, 400
KINDS = ("moons", "circles", "xor")
KIND_TEXT = {"moons": ("2 つの三日月", "two moons"), "circles": ("二重の円", "two circles"), "xor": ("XOR", "XOR")}


# -- private helpers shared in spirit with exercise 4.4's checks --------------


def _build(t):
    try:
        model = t.call("LabMLP")
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc) or "_parameters" in str(exc) or "_modules" in str(exc):
            _super_failure(t, "LabMLP", exc)
        raise
    t.expect(isinstance(model, nn.Module),
             ja=f"`LabMLP()` が nn.Module ではありません ({type(model).__name__})。`class LabMLP(nn.Module):` と継承してください。",
             en=f"`LabMLP()` is not an nn.Module (a {type(model).__name__}). Inherit from it: `class LabMLP(nn.Module):`.")
    if "_modules" not in vars(model):
        _super_failure(t, "LabMLP", "no _modules")
    count = sum(p.numel() for p in model.parameters())
    lists = _module_lists(model)
    t.mistake(count != 61 and bool(lists),
              ja=f"`LabMLP` の層が普通の Python のリスト (`self.{lists[0] if lists else ''}`) に入っているため、そのパラメータが登録されていません "
                 f"(`model.parameters()` の数値は {count} 個だけです。2-15-1 なら 61 個です)。これでは最適化手法が層を学習できません。"
                 "層はそれぞれ属性にするか、`nn.ModuleList` / `nn.Sequential` に入れてください。",
              en=f"The layers of `LabMLP` are kept in a plain Python list (`self.{lists[0] if lists else ''}`), so their parameters are not registered "
                 f"(`model.parameters()` holds only {count} number(s); a 2-15-1 MLP has 61) and no optimizer would ever train them. "
                 "Make each layer an attribute, or put them in `nn.ModuleList` / `nn.Sequential`.")
    t.expect(count == 61,
             ja=f"`LabMLP()` に登録されたパラメータが {count} 個になっています。2-15-1 の MLP なら 2*15 + 15 + 15*1 + 1 = 61 個になります。",
             en=f"`LabMLP()` has {count} registered parameters; a 2-15-1 MLP has 2*15 + 15 + 15*1 + 1 = 61.")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    got = [(m.in_features, m.out_features) for m in layers]
    t.expect(got == [(2, 15), (15, 1)],
             ja=f"`LabMLP()` の全結合層が {', '.join(f'Linear{s}' for s in got) or 'ありません'} になっています。Linear(2, 15), Linear(15, 1) にしてください。",
             en=f"The fully connected layers of `LabMLP()` are {', '.join(f'Linear{s}' for s in got) or 'none'}, but should be Linear(2, 15), Linear(15, 1).")
    return model, layers


def _forward(t, model, x):
    try:
        return model(x)
    except NotImplementedError as exc:
        if "forward" not in str(exc):
            raise
        t.fail(ja="`LabMLP` に `forward` がありません。計算の中身は `def forward(self, x):` という名前のメソッドに書きます (つづりと字下げを確かめてください)。",
               en="`LabMLP` has no `forward`. The computation goes into a method named exactly `def forward(self, x):` (check the spelling and the indentation).")


def _no_activation_failure(t, extra_ja="", extra_en=""):
    t.fail(ja="`LabMLP` の 2 つの全結合層の間に活性化関数 (ReLU) がありません。活性化関数がないと 2 つの層は 1 つのアフィン変換と同じになり (演習 4.1)、"
              f"モデル全体は σ(w·x + b)、つまりロジスティック回帰と同じです。決定境界は直線にしかならないので、このデータは分けられません。{extra_ja}"
              "1 つ目の全結合層のあとに ReLU を入れてください。",
           en="`LabMLP` has no activation (ReLU) between its two fully connected layers. Without one the two layers are one affine map (Exercise 4.1) "
              f"and the whole model is σ(w·x + b), plain logistic regression: its decision boundary can only be a straight line, which cannot separate this data.{extra_en} "
              "Put a ReLU after the first fully connected layer.")


# -- data ---------------------------------------------------------------------

def _data(t, kind, n, turn, g):
    """n points of a two-class set no straight line separates, rotated by `turn`; half of each class."""
    k = n // 2
    if kind == "moons":
        a, b = torch.rand(k, generator=g) * math.pi, torch.rand(n - k, generator=g) * math.pi
        X = torch.cat([torch.stack([torch.cos(a), torch.sin(a)], 1),
                       torch.stack([1 - torch.cos(b), 0.5 - torch.sin(b)], 1)])
        X = (X + 0.1 * torch.randn(n, 2, generator=g) - torch.tensor([0.5, 0.25])) * 1.5
        y = torch.cat([torch.zeros(k), torch.ones(n - k)])
    elif kind == "circles":
        angle = torch.rand(n, generator=g) * 2 * math.pi
        radius = torch.cat([torch.full((k,), 1.0), torch.full((n - k,), 0.45)])
        X = (torch.stack([torch.cos(angle), torch.sin(angle)], 1) * radius[:, None] + 0.08 * torch.randn(n, 2, generator=g)) * 1.5
        y = torch.cat([torch.zeros(k), torch.ones(n - k)])
    else:
        signs = torch.cat([torch.tensor([[1.0, 1.0], [-1.0, -1.0]]).repeat((k + 1) // 2, 1)[:k],
                           torch.tensor([[1.0, -1.0], [-1.0, 1.0]]).repeat((n - k + 1) // 2, 1)[:n - k]])
        X = signs + 0.3 * torch.randn(n, 2, generator=g)
        y = torch.cat([torch.ones(k), torch.zeros(n - k)])
    rot = torch.tensor([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    order = torch.randperm(n, generator=g)
    return (X @ rot.T)[order].float().contiguous(), y[order].reshape(-1, 1).float()


def _line_accuracy(Xtr, ytr, Xte, yte):
    """What the best straight line (logistic regression) reaches on this data; for the messages."""
    with torch.enable_grad():
        w = torch.zeros(2, 1, requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        opt = torch.optim.Adam([w, b], lr=0.05)
        for _ in range(300):
            opt.zero_grad()
            loss = _BCE_LOGITS(Xtr @ w + b, ytr)
            loss.backward()
            opt.step()
    with torch.no_grad():
        return float(((Xte @ w + b > 0).float() == yte).float().mean())


# -- spying on the loss functions (a private helper) ---------------------------

_PASS = ("View", "Reshape", "Squeeze", "Unsqueeze", "Expand", "Clone", "ToCopy", "Select", "Slice", "Index", "Permute", "T", "Transpose", "Alias")


def _sigmoids_in_a_row(tensor):
    """How many sigmoids (or softmaxes) were applied last to `tensor`, looking through reshapes."""
    count, fn = 0, getattr(tensor, "grad_fn", None)
    while fn is not None:
        name = type(fn).__name__
        if name.startswith(("Sigmoid", "Softmax")):
            count += 1
        elif not name.startswith(_PASS):
            break
        nxt = [f for f, _ in fn.next_functions if f is not None]
        fn = nxt[0] if nxt else None
    return count


@contextlib.contextmanager
def _spy(seen):
    """Record how the loss functions are called while the student's train runs."""
    def bce_logits(input, *args, **kwargs):
        if _sigmoids_in_a_row(input) >= 1:
            seen.add("logits")
        return _BCE_LOGITS(input, *args, **kwargs)

    def bce(input, *args, **kwargs):
        if _sigmoids_in_a_row(input) >= 2:
            seen.add("twice")
        seen.add("bce")
        return _BCE(input, *args, **kwargs)

    def cross_entropy(input, *args, **kwargs):
        if _sigmoids_in_a_row(input) >= 1:
            seen.add("softmax")
        return _CROSS_ENTROPY(input, *args, **kwargs)

    F.binary_cross_entropy_with_logits, F.binary_cross_entropy, F.cross_entropy = bce_logits, bce, cross_entropy
    try:
        yield
    finally:
        F.binary_cross_entropy_with_logits, F.binary_cross_entropy, F.cross_entropy = _BCE_LOGITS, _BCE, _CROSS_ENTROPY


def _affine_gap(model, last, X, gen):
    """How far the model's last pre-activation is from an affine function of x (0 for a linear model)."""
    grabbed = []
    handle = last.register_forward_hook(lambda module, inputs, output: grabbed.append(output.detach()))
    try:
        lo, hi = X.min(0).values, X.max(0).values
        a = lo + (hi - lo) * torch.rand(256, 2, generator=gen)
        b = lo + (hi - lo) * torch.rand(256, 2, generator=gen)
        with torch.no_grad():
            for points in (a, b, (a + b) / 2):
                model(points)
    finally:
        handle.remove()
    za, zb, zm = grabbed[-3:]
    scale = float(torch.cat([za, zb]).std()) + 1e-6
    return float((zm - (za + zb) / 2).abs().max()) / scale


def _num(value):
    try:
        return f"{float(value):.3f}"
    except (TypeError, ValueError, RuntimeError):
        return "?"


def _draw(t, losses, model, X, y):
    """Figures of the student's run: the loss per epoch, and the training points by class with
    the learned decision boundary (the model's probability of class 1). Never fails."""
    t.plot_line("loss", ja="エポックごとの損失", en="loss per epoch", lines={"loss": losses},
                x_label=("エポック", "epoch"), y_label=("損失", "loss"))

    def probability(grid):
        return model(grid).reshape(-1)

    try:
        with torch.no_grad():
            ok = probability(X[:2]).numel() == 2
    except Exception:
        ok = False  # not a model we can run: show the points alone
    t.plot_points("boundary", ja="訓練データと学習した決定境界", en="training data and the learned decision boundary",
                  x=X, classes=y.reshape(-1), boundary=probability if ok else None, x_label=("x1", "x1"), y_label=("x2", "x2"))


# -- the checks ---------------------------------------------------------------

@check(ja="教材の 2-15-1 の MLP (ReLU、出力にシグモイド関数)", en="the lab's 2-15-1 MLP (ReLU, a sigmoid at the output)")
def model(t):
    model, layers = _build(t)
    with torch.no_grad():
        for layer in layers:
            layer.weight.copy_(t.randn(*layer.weight.shape))
            layer.bias.copy_(t.randn(*layer.bias.shape))
    x = t.randn(20, 2) * 2
    with torch.no_grad():
        out = t.shape(_forward(t, model, x), (20, 1), name="LabMLP()(x)")
        (W1, b1), (W2, b2) = ((m.weight, m.bias) for m in layers)
        hidden = x @ W1.T + b1
        right = _sigmoid(_relu(hidden) @ W2.T + b2)
        linear = _sigmoid(hidden @ W2.T + b2)
    close = lambda p, q: bool(torch.allclose(p.double(), q.double(), atol=1e-5, rtol=1e-4))
    if close(out, linear) and not close(right, linear):
        _no_activation_failure(t)
    t.mistake(close(out, _sigmoid(right)),
              ja="`LabMLP` の出力にシグモイド関数が 2 回かかっています。最後の全結合層のあとに 1 回だけ付けてください。",
              en="The output of `LabMLP` goes through the sigmoid twice: apply it once, after the last fully connected layer.")
    t.mistake(not bool(((out > 0) & (out < 1)).all()) and close(_sigmoid(out), right),
              ja="`LabMLP` の出力が確率 (0 から 1) になっていません。教材のモデルは最後の全結合層のあとにシグモイド関数を付け、出力を確率にします。",
              en="The output of `LabMLP` is not a probability (0 to 1). The lab's model puts a sigmoid after the last fully connected layer.")
    t.tensor(out, right, name="LabMLP()(x)", atol=1e-5, rtol=1e-4)


@check(ja="直線では分けられないデータを学習で分ける", en="training separates data no straight line can")
def separates(t):
    kind = t.rng.choice(KINDS)
    angle = t.uniform(0, 2 * math.pi)
    Xtr, ytr = _data(t, kind, N_TRAIN, angle, t.gen)
    kind_ja, kind_en = KIND_TEXT[kind]
    torch.manual_seed(t.seed)
    model, layers = _build(t)
    before = [p.detach().clone() for p in model.parameters()]
    seen = set()
    with _spy(seen), TrainWatch() as watch:
        losses = t.call("train", model, Xtr.clone(), ytr.clone())
    _draw(t, losses, model, Xtr, ytr)
    # The test points only now, from a source the seed does not give away: none of them is
    # anywhere the student's code could find it while it trains.
    Xte, yte = _data(t, kind, N_TEST, angle, t.unseen_gen())
    X = torch.cat([Xtr, Xte])
    t.mistake("logits" in seen,
              ja="`nn.BCEWithLogitsLoss` (`binary_cross_entropy_with_logits`) を、すでにシグモイド関数を通したモデルの出力に使っています。この損失関数は中でシグモイド関数を計算するので、"
                 "シグモイド関数が 2 回かかってしまいます。損失関数がすでに含んでいるシグモイド関数を、モデルの側でもかけていることになります。確率を出力するこのモデルには `nn.BCELoss` を使ってください。",
              en="You use `nn.BCEWithLogitsLoss` (`binary_cross_entropy_with_logits`) on the model's output, which has already been through a sigmoid. That loss computes a sigmoid inside, "
                 "so the sigmoid is applied twice: the model applies one the loss already includes. For this model, whose output is a probability, use `nn.BCELoss`.")
    t.mistake("twice" in seen,
              ja="損失関数に渡す前に、モデルの出力にもう一度シグモイド関数をかけています (シグモイド関数が 2 回)。`LabMLP` の出力はもう確率なので、そのまま `nn.BCELoss` に渡してください。",
              en="You put the model's output through a sigmoid again before the loss (the sigmoid is applied twice). `LabMLP` already outputs probabilities: pass them to `nn.BCELoss` as they are.")
    t.mistake("softmax" in seen,
              ja="`nn.CrossEntropyLoss` に、シグモイド関数やソフトマックス関数を通したあとの値を渡しています。`CrossEntropyLoss` は中でソフトマックス関数を計算するので、生の出力 (ロジット) を渡すものです。"
                 "この演習は二値分類なので、確率を出力するモデルに `nn.BCELoss` を使ってください。",
              en="You pass `nn.CrossEntropyLoss` values that have been through a sigmoid or softmax. `CrossEntropyLoss` contains the softmax and expects raw outputs (logits). "
                 "This exercise is binary: use `nn.BCELoss` on the model's probabilities.")
    name = "train(model, X, y)"
    expect_trained(t, watch, name=name, model=model)
    where = {tuple(r): i for i, r in enumerate(Xtr.tolist())}

    def targets(inputs):
        return ytr[[where[tuple(r)] for r in inputs[0].tolist()]]

    expect_first_loss(t, watch, lambda out, inp: _BCE(out.clamp(1e-7, 1 - 1e-7), targets(inp)), name=name,
                      what=("二値交差エントロピー (`nn.BCELoss`)", "the binary cross entropy (`nn.BCELoss`)"),
                      wrong=[(lambda out, inp: ((out - targets(inp)) ** 2).mean(),
                              f"`{name}` の損失関数が平均二乗誤差 (MSE) になっています。分類の損失関数には二値交差エントロピー (`nn.BCELoss`) を使ってください。",
                              f"`{name}` uses the mean squared error (MSE) as its loss: for classification use the binary cross entropy (`nn.BCELoss`).")])
    values = t.floats(losses, name="train(...) losses")
    t.expect(len(values) >= 2,
             ja=f"`train` が返したリストには {len(values)} 個しかありません。エポックごとの損失のリストを返してください。",
             en=f"`train` should return the list of per-epoch losses but returned only {len(values)}.")
    changed = any(not _equal(p0, p.detach()) for p0, p in zip(before, model.parameters()))
    t.expect(changed,
             ja="`train` のあとも、渡した model のパラメータが少しも変わっていません。`train` の中で新しいモデルを作っていないか、最適化手法に `model.parameters()` を渡して `step()` を呼んでいるかを確かめてください。",
             en="After `train` the parameters of the model it was given have not changed at all. Do not build a new model inside `train`; give the optimizer `model.parameters()` and call `step()`.")
    model.eval()
    with torch.no_grad():
        p = _forward(t, model, Xte)
    plain = t.shape(p, (N_TEST, 1), name="LabMLP()(X_test)")
    accuracy = float(((plain > 0.5).float() == yte).float().mean())
    gap = _affine_gap(model, layers[-1], X, t.gen)
    if gap < 1e-3:
        line = _line_accuracy(Xtr, ytr, Xte, yte)
        _no_activation_failure(t, extra_ja=f"今回のデータ ({kind_ja}) では、テストの正解率が {accuracy:.1%} でした (直線の限界はおよそ {line:.1%}、合格は {THRESHOLD:.0%} 以上)。",
                               extra_en=f" On this data ({kind_en}) the test accuracy was {accuracy:.1%} (the best line gets about {line:.1%}; {THRESHOLD:.0%} is needed).")
    if accuracy < THRESHOLD:
        line = _line_accuracy(Xtr, ytr, Xte, yte)
        t.fail(ja=f"学習後のテストデータ ({kind_ja}、{N_TEST} 点) での正解率が {accuracy:.1%} で、合格の {THRESHOLD:.0%} に届きません (直線で分けるとおよそ {line:.1%} です)。"
                  f"損失は {_num(losses[0])} から {_num(losses[-1])} に変わりました。エポック数と学習率 (Adam なら lr=0.01 から 0.05 くらい) を見直してください。",
               en=f"After training, the accuracy on the test data ({kind_en}, {N_TEST} points) is {accuracy:.1%}, short of the {THRESHOLD:.0%} needed (a straight line gets about {line:.1%}). "
                  f"The loss went from {_num(losses[0])} to {_num(losses[-1])}. Revisit the number of epochs and the learning rate (lr=0.01 to 0.05 with Adam).")
    t.decreased(list(losses), name="train(...) losses", factor=0.5)
