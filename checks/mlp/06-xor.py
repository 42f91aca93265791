"""Hidden checks for exercise 4.6 (AND, OR, XOR with a single layer and a 2-2-1 network).

The single layer must learn AND and OR with the student's `train` (so training
works) and then fail XOR for the right reason: its output stays a sigmoid of an
affine map, so at most three of the four points come out right. The 2-2-1
network starts from initial weights the check copies in (drawn with a seed from
STARTS, each verified to learn XOR with Adam(lr=0.1), MSE and 1000 full-batch
steps: XOR is hard for 2-2-1, and about half of all starts get stuck).
"""

import contextlib

import torch
import torch.nn.functional as F
from torch import nn

from tutor.checkkit import ZeroGradWatch, check
from _models import _module_lists, _super_failure  # checks/mlp/_models.py

_sigmoid, _mse = torch.sigmoid, F.mse_loss
_Adam = torch.optim.Adam

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TARGETS = {"AND": [0.0, 0.0, 0.0, 1.0], "OR": [0.0, 1.0, 1.0, 1.0], "XOR": [0.0, 1.0, 1.0, 0.0]}
STARTS = (1, 2, 3, 4, 11, 12, 14, 16, 19, 22, 23, 25, 26, 27, 28, 32, 33, 34, 37, 38)
STEPS, LR = 1000, 0.1


def _y(name):
    return torch.tensor(TARGETS[name]).view(-1, 1)


def _build(t, cls, shapes, params):
    try:
        model = t.call(cls)
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc):
            _super_failure(t, cls, exc)
        raise
    t.expect(isinstance(model, nn.Module),
             ja=f"`{cls}()` が nn.Module ではありません ({type(model).__name__})。`class {cls}(nn.Module):` と継承してください。",
             en=f"`{cls}()` is not an nn.Module (a {type(model).__name__}). Inherit from it: `class {cls}(nn.Module):`.")
    lists = _module_lists(model)
    t.mistake(bool(lists),
              ja=f"`{cls}` の層が普通の Python のリスト (`self.{lists[0] if lists else ''}`) に入っていて、パラメータが登録されていません。層はそれぞれ属性にするか `nn.ModuleList` に入れてください。",
              en=f"The layers of `{cls}` are kept in a plain Python list (`self.{lists[0] if lists else ''}`), so their parameters are not registered. Make each layer an attribute or use `nn.ModuleList`.")
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    got = sorted((m.in_features, m.out_features) for m in layers)
    t.expect(got == sorted(shapes),
             ja=f"`{cls}()` の全結合層が {', '.join(f'Linear{s}' for s in got) or 'ありません'} ですが、{', '.join(f'Linear{s}' for s in shapes)} にしてください。",
             en=f"The fully connected layers of `{cls}()` are {', '.join(f'Linear{s}' for s in got) or 'none'}; make them {', '.join(f'Linear{s}' for s in shapes)}.")
    count = sum(p.numel() for p in model.parameters())
    t.expect(count == params,
             ja=f"`{cls}()` のパラメータが {count} 個ですが、{params} 個にしてください。",
             en=f"`{cls}()` has {count} parameters; it should have {params}.")
    return model, {(m.in_features, m.out_features): m for m in layers}


def _forward(t, model, x, cls):
    with torch.no_grad():
        out = model(x)
    return t.shape(out, (len(x), 1), name=f"{cls}()(x)")


@contextlib.contextmanager
def _spy(seen):
    """Record which loss and which optimizer the student's train uses."""
    def mse(*args, **kwargs):
        seen.add("mse")
        return _mse(*args, **kwargs)

    class Adam(_Adam):
        def __init__(self, params, *args, **kwargs):
            lr = kwargs.get("lr", args[0] if args else 1e-3)
            seen.add(("adam", float(lr)))
            super().__init__(params, *args, **kwargs)

    F.mse_loss, torch.optim.Adam = mse, Adam
    try:
        yield
    finally:
        F.mse_loss, torch.optim.Adam = _mse, _Adam


def _train(t, model, name):
    seen = set()
    with ZeroGradWatch() as grads, _spy(seen):
        losses = t.call("train", model, X.clone(), _y(name), STEPS, LR)
    t.mistake(grads.never_zeroed,
              ja="`train` が勾配を 0 に戻していません。勾配は `backward()` のたびに足し込まれるので、毎ステップ `optimizer.zero_grad()` を呼んでください。",
              en="`train` never zeroes the gradients. They accumulate with every `backward()`: call `optimizer.zero_grad()` every step.")
    t.expect(isinstance(losses, (list, tuple)) and len(losses) == STEPS,
             ja=f"`train(model, X, y, {STEPS}, {LR})` が {type(losses).__name__} を返しています。各ステップの損失のリスト (長さ {STEPS}) を返してください。",
             en=f"`train(model, X, y, {STEPS}, {LR})` should return the list of the {STEPS} step losses but returned a {type(losses).__name__}.")
    t.expect(("adam", LR) in seen,
             ja=f"`train` が `torch.optim.Adam(model.parameters(), lr=lr)` を使っていません (または lr に引数の {LR} を渡していません)。講義と同じ Adam にしてください。",
             en=f"`train` does not use `torch.optim.Adam(model.parameters(), lr=lr)` (or does not pass it the lr argument, {LR}). Use Adam, as the lecture does.")
    t.expect("mse" in seen,
             ja="`train` の損失関数が平均二乗誤差 (`nn.MSELoss`) ではありません。この演習では講義と同じ平均二乗誤差を使ってください。",
             en="The loss in `train` is not the mean squared error (`nn.MSELoss`). This exercise uses the mean squared error, as the lecture does.")
    with torch.no_grad():
        right = int(((model(X) > 0.5).float() == _y(name)).sum())
    return losses, right


def _draw(t, losses, model, name):
    t.plot_line("loss", ja=f"{name} を学習する 2-2-1 のネットワークの損失", en=f"loss of the 2-2-1 network learning {name}",
                lines={"loss": losses}, x_label=("ステップ", "step"), y_label=("損失", "loss"))
    t.plot_points("boundary", ja=f"{name} の 4 点と 2-2-1 のネットワークの決定境界", en=f"the four {name} points and the 2-2-1 network's decision boundary",
                  x=X, classes=_y(name).view(-1), boundary=lambda g: model(g).reshape(-1), x_label=("x1", "x1"), y_label=("x2", "x2"))


@check(ja="`SingleLayer`: nn.Linear(2, 1) とシグモイド関数", en="`SingleLayer`: nn.Linear(2, 1) and a sigmoid")
def single_model(t):
    model, layers = _build(t, "SingleLayer", [(2, 1)], 3)
    fc = layers[(2, 1)]
    x = t.randn(8, 2) * 2
    out = _forward(t, model, x, "SingleLayer")
    with torch.no_grad():
        t.tensor(out, _sigmoid(x @ fc.weight.T + fc.bias), name="SingleLayer()(x)")


@check(ja="`TwoLayer`: 2-2-1 で、中間層にも出力にもシグモイド関数", en="`TwoLayer`: 2-2-1 with a sigmoid on the hidden layer and on the output")
def two_model(t):
    model, layers = _build(t, "TwoLayer", [(2, 2), (2, 1)], 9)
    l1, l2 = layers[(2, 2)], layers[(2, 1)]
    x = t.randn(8, 2) * 2
    out = _forward(t, model, x, "TwoLayer")
    with torch.no_grad():
        hidden = x @ l1.weight.T + l1.bias
        right = _sigmoid(_sigmoid(hidden) @ l2.weight.T + l2.bias)
        linear = _sigmoid(hidden @ l2.weight.T + l2.bias)
    t.mistake(bool(torch.allclose(out, linear, atol=1e-5)),
              ja="`TwoLayer` の中間層のあとに活性化関数がありません。活性化関数がないと 2 つの全結合層は 1 つのアフィン変換にまとまり (演習 4.1)、モデルは `SingleLayer` と同じで、XOR は解けません。1 つ目の全結合層のあとにシグモイド関数をかけてください。",
              en="`TwoLayer` has no activation after its hidden layer. Without one the two fully connected layers fold into one affine map (Exercise 4.1), the model is `SingleLayer` again, and XOR is out of reach. Apply a sigmoid after the first fully connected layer.")
    t.tensor(out, right, name="TwoLayer()(x)")


@check(ja="`train` で `SingleLayer` が AND と OR を学習する", en="`train` teaches `SingleLayer` AND and OR")
def and_or(t):
    for name in ("AND", "OR"):
        torch.manual_seed(t.seed)
        model, _ = _build(t, "SingleLayer", [(2, 1)], 3)
        losses, right = _train(t, model, name)
        t.expect(right == 4,
                 ja=f"`train` で学習した `SingleLayer` が {name} の 4 点のうち {right} 点しか正解しません。{name} は直線 1 本で分けられるので、4 点とも正解できるはずです。"
                    f"`train` が {STEPS} 回、zero_grad → 順伝播 → 損失 → backward → step を繰り返しているか確かめてください。",
                 en=f"`SingleLayer` trained with `train` gets only {right} of the four {name} points right. {name} can be separated by one straight line, so all four should come out right: "
                    f"check that `train` repeats zero_grad -> forward -> loss -> backward -> step {STEPS} times.")
        t.decreased([float(v) for v in losses], name=f"train(SingleLayer, {name}) losses", factor=0.5)


@check(ja="`SingleLayer` は XOR を学習できない (直線 1 本では分けられない)", en="`SingleLayer` cannot learn XOR (no single line separates it)")
def single_fails_xor(t):
    torch.manual_seed(t.seed)
    model, layers = _build(t, "SingleLayer", [(2, 1)], 3)
    losses, right = _train(t, model, "XOR")
    fc = layers[(2, 1)]
    with torch.no_grad():
        affine = _sigmoid(X @ fc.weight.T + fc.bias)
        out = model(X)
    t.expect(bool(torch.allclose(out, affine, atol=1e-5)) and right <= 3,
             ja=f"`SingleLayer` が XOR の 4 点のうち {right} 点を正解しました。シグモイド関数をかけたアフィン変換の決定境界は直線 w1 x1 + w2 x2 + b = 0 で、直線 1 本では XOR の 4 点は分けられません "
                "(多くても 3 点)。`SingleLayer` は nn.Linear(2, 1) とシグモイド関数だけにしてください。",
             en=f"`SingleLayer` got {right} of the four XOR points right. A sigmoid of an affine map has the straight line w1 x1 + w2 x2 + b = 0 as its decision boundary, and no single line separates the four XOR points "
                "(three at most). Keep `SingleLayer` to nn.Linear(2, 1) and a sigmoid.")
    t.expect(min(float(v) for v in losses) > 0.1,
             ja="`SingleLayer` の XOR での損失が 0.1 を下回りました。1 層のモデルではありえないので、`SingleLayer` の作りを確かめてください。",
             en="The XOR loss of `SingleLayer` went below 0.1, which a single layer cannot do: check how `SingleLayer` is built.")


@check(ja="`TwoLayer` は、うまくいく初期値から XOR を学習する", en="`TwoLayer` learns XOR from a start that works")
def two_solves_xor(t):
    start = t.rng.choice(STARTS)
    model, layers = _build(t, "TwoLayer", [(2, 2), (2, 1)], 9)
    torch.manual_seed(start)
    ref1, ref2 = nn.Linear(2, 2), nn.Linear(2, 1)
    with torch.no_grad():
        for mine, ref in ((layers[(2, 2)], ref1), (layers[(2, 1)], ref2)):
            mine.weight.copy_(ref.weight)
            mine.bias.copy_(ref.bias)
    losses, right = _train(t, model, "XOR")
    _draw(t, [float(v) for v in losses], model, "XOR")
    t.expect(right == 4,
             ja=f"`TwoLayer` が XOR の 4 点のうち {right} 点しか正解しません (チェックは、Adam (lr={LR})、平均二乗誤差、{STEPS} ステップで XOR を学習できると確かめてある初期値から始めました。"
                f"損失は {float(losses[0]):.3f} → {float(losses[-1]):.3f})。中間層にシグモイド関数があるか、`train` が毎ステップ `zero_grad()` を呼んでいるか確かめてください。",
             en=f"`TwoLayer` gets only {right} of the four XOR points right (the check started it from initial weights verified to learn XOR with Adam (lr={LR}), the mean squared error and {STEPS} steps; "
                f"the loss went {float(losses[0]):.3f} -> {float(losses[-1]):.3f}). Check the sigmoid on the hidden layer, and that `train` calls `zero_grad()` every step.")
    t.decreased([float(v) for v in losses], name="train(TwoLayer, XOR) losses", factor=0.2)
