"""Hidden checks for exercise 5.7 (dropout by hand, and a model whose dropout follows train()/eval())."""

import torch
import torch.nn.functional as F

from tutor.checkkit import CheckFailure, check
from tutor.checkkit.compare import plain_tensor
from _models import build, forward, images

_relu = torch.relu

# By hand also means none of these bound at import, nor their node in the autograd graph.
_LIBRARY = ("torch.nn.functional.dropout", "torch.dropout", "torch.nn.Dropout", "torch.nn.functional.dropout1d",
            "torch.nn.functional.alpha_dropout")
_NODES = ("NativeDropoutBackward0", "FusedDropoutBackward0")
P_CHOICES = (0.2, 0.3, 0.4, 0.6, 0.7)  # never 0.5, so a hard-coded 0.5 shows


def _input(t, rows=200, cols=500):
    """Positive values well away from 0, so a dropped element (0) is never mistaken for a kept one."""
    return 0.5 + torch.rand(rows, cols, generator=t.gen)


def _refuse(*args, **kwargs):
    raise CheckFailure(
        ja="`dropout` の中で PyTorch のドロップアウト (`F.dropout` / `nn.Dropout` / `torch.dropout`) を使っています。この関数は手で書く練習なので、"
           "`torch.rand_like` などで作ったマスクを掛けて書いてください。",
        en="`dropout` uses PyTorch's own dropout (`F.dropout` / `nn.Dropout` / `torch.dropout`). This function is practice in writing it by hand: "
           "multiply by a mask made with `torch.rand_like` or the like.")


def _call_dropout(t, x, p, training):
    copy = x.clone()
    saved = F.dropout, torch.dropout
    F.dropout = torch.dropout = _refuse
    try:
        got = t.call("dropout", copy, p, training)
    finally:
        F.dropout, torch.dropout = saved
    t.by_hand("dropout", x.clone(), p, training, library=_LIBRARY, nodes=_NODES)
    t.mistake(not torch.equal(copy, x) and training,
              ja="`dropout` が入力 x をその場で書き換えています (`x *= mask` や `x[...] = 0` など)。x はそのままにして、新しいテンソルを返してください。",
              en="`dropout` changes its input x in place (`x *= mask`, `x[...] = 0` ...). Leave x as it is and return a new tensor.")
    return plain_tensor(got, f"dropout(x, p={p}, training={training})")


@check(ja="`dropout`: 評価のとき (training=False) は何もしない", en="`dropout`: does nothing in evaluation (training=False)")
def dropout_eval(t):
    p = t.rng.choice(P_CHOICES)
    x = _input(t, 20, 30)
    torch.manual_seed(t.seed)
    got = _call_dropout(t, x, p, False)
    name = f"dropout(x, p={p}, training=False)"
    t.shape(got, tuple(x.shape), name=name)
    zeros = float((got == 0).float().mean())
    t.mistake(zeros > 0.05 or _close(got, x / (1 - p)) or _close(got, x * (1 - p)),
              ja=f"`dropout` が評価のとき (training=False) にも値を 0 にしたり倍率をかけたりしています。ドロップアウトは学習のときだけ働き、評価のときは入力をそのまま返します。",
              en=f"`dropout` zeroes or rescales values in evaluation too (training=False). Dropout acts only in training; in evaluation it returns the input unchanged.")
    t.tensor(got, x, name=name, atol=0)


def _close(a, b):
    return a.shape == b.shape and bool(torch.allclose(a.double(), b.double(), atol=1e-6, rtol=1e-5))


@check(ja="`dropout`: 学習のときは確率 p で 0 にし、残りを 1/(1 - p) 倍する", en="`dropout`: in training, zero with probability p and scale the rest by 1/(1 - p)")
def dropout_train(t):
    p = t.rng.choice(P_CHOICES)
    x = _input(t)
    torch.manual_seed(t.seed)
    got = _call_dropout(t, x, p, True)
    name = f"dropout(x, p={p}, training=True)"
    t.shape(got, tuple(x.shape), name=name)
    t.dtype(got, torch.float32, name=name)
    kept = got != 0
    frac = 1 - float(kept.float().mean())
    t.mistake(frac < 0.005,
              ja=f"`dropout` が学習のとき (training=True) に 1 つも 0 にしていません。各要素を確率 p = {p} で 0 にしてください。",
              en=f"`dropout` zeroes nothing in training (training=True). Zero each element with probability p = {p}.")
    t.mistake(abs(frac - (1 - p)) < 0.02 and abs(frac - p) > 0.05,
              ja=f"`dropout` が要素のおよそ {frac:.0%} を 0 にしています。p は「0 にする」確率なので、p = {p:.0%} 前後を 0 にしてください。"
                 f"残す確率 (1 - p) と取り違えていませんか (マスクは `torch.rand_like(x) >= p` で、True になる確率が 1 - p です)。",
              en=f"`dropout` zeroes about {frac:.0%} of the elements. p is the probability to DROP, so about p = {p:.0%} should become 0. "
                 f"Did you swap it with the keep probability 1 - p? (The mask `torch.rand_like(x) >= p` is True with probability 1 - p.)")
    t.expect(abs(frac - p) < 0.02,
             ja=f"`dropout` で 0 になった要素の割合が {frac:.1%} になっています。p = {p:.0%} に近い割合で 0 にしてください (要素は {x.numel()} 個あります)。",
             en=f"`dropout` zeroed {frac:.1%} of the elements; it should be close to p = {p:.0%} (there are {x.numel()} elements).")
    survivors, source = got[kept].double(), x[kept].double()
    same = lambda a, b: bool(torch.allclose(a, b, atol=1e-6, rtol=1e-5))
    t.mistake(same(survivors, source),
              ja=f"`dropout` で残った要素が元の値のままです。学習のときは残った要素を 1/(1 - p) 倍 (ここでは {1 / (1 - p):.3g} 倍) して、出力の期待値を入力と同じに保ちます。"
                 "こうしておくと、評価のとき (ドロップアウトなし) に何もしなくても値の大きさがそろいます。",
              en=f"The elements `dropout` keeps are left as they were. In training multiply the survivors by 1/(1 - p) (here {1 / (1 - p):.3g}) so the expected output equals the input; "
                 "then evaluation, without dropout, needs no correction.")
    t.mistake(same(survivors, source * (1 - p)),
              ja=f"`dropout` で残った要素に (1 - p) を掛けています。期待値を保つには (1 - p) で割ります (1/(1 - p) = {1 / (1 - p):.3g} 倍)。",
              en=f"`dropout` multiplies the survivors by (1 - p). To keep the expected value, divide by (1 - p) (a factor 1/(1 - p) = {1 / (1 - p):.3g}).")
    t.mistake(same(survivors, source / p),
              ja=f"`dropout` で残った要素を p で割っています。残す確率は 1 - p なので、(1 - p) で割ります。",
              en=f"`dropout` divides the survivors by p. The keep probability is 1 - p: divide by (1 - p).")
    t.tensor(got[kept], x[kept] / (1 - p), name=f"the elements {name} keeps", atol=1e-6)
    again = _call_dropout(t, x, p, True)
    t.mistake(torch.equal(again, got),
              ja="`dropout` を 2 回呼ぶと、0 にする位置がまったく同じです。呼ぶたびに新しい乱数でマスクを作ってください (関数の中で `torch.manual_seed` を呼ばないこと)。",
              en="Two calls of `dropout` zero exactly the same positions. Draw a new random mask on every call (do not call `torch.manual_seed` inside).")
    t.tensor(_call_dropout(t, x, 0.0, True), x, name="dropout(x, p=0.0, training=True)", atol=0)


class _Grab:
    """Grabs, at every call, the output of the first fully connected layer and the input of the last."""

    def __init__(self, first, last):
        self.first, self.last, self.pre, self.seen = first, last, [], []

    def __enter__(self):
        self.handles = [
            self.first.register_forward_hook(lambda m, inputs, out: self.pre.append(out.detach().clone())),
            self.last.register_forward_hook(lambda m, inputs, out: self.seen.append(inputs[0].detach().clone())),
        ]
        return self

    def __exit__(self, *exc):
        for handle in self.handles:
            handle.remove()
        return False


@check(ja="`DropoutMLP`: train() ではドロップアウトが働き、eval() では止まる", en="`DropoutMLP`: dropout on under train(), off under eval()")
def model_modes(t):
    p = t.rng.choice(P_CHOICES)
    torch.manual_seed(t.seed)
    model, (l1, l2) = build(t, "DropoutMLP", p, layers=[(784, 100), (100, 10)], params=79510)
    x = images(t, 64)
    with torch.no_grad():
        hidden = _relu(x.view(len(x), -1) @ l1.weight.T + l1.bias)
        logits = hidden @ l2.weight.T + l2.bias

    model.eval()
    with _Grab(l1, l2) as grab:
        first = plain_tensor(forward(t, model, x, "DropoutMLP"), "DropoutMLP(p)(images) under eval()")
        second = plain_tensor(forward(t, model, x, "DropoutMLP"), "DropoutMLP(p)(images) under eval()")
    t.mistake(not torch.equal(first, second),
              ja="`model.eval()` のあとも、同じ入力に対する `DropoutMLP` の出力が呼ぶたびに変わります。評価モードでもドロップアウトが働いています。"
                 "`F.dropout(x, p)` は何も指定しないと `training=True` なので、`F.dropout(x, p, training=self.training)` とするか、層として `nn.Dropout(p)` を使ってください。",
              en="After `model.eval()` the output of `DropoutMLP` still changes from call to call on the same input: dropout is on in evaluation mode. "
                 "`F.dropout(x, p)` defaults to `training=True`: write `F.dropout(x, p, training=self.training)`, or use an `nn.Dropout(p)` layer.")
    t.mistake(len(grab.seen) == 2 and grab.seen[0].shape == hidden.shape and _close(grab.seen[0], hidden / (1 - p)),
              ja="`model.eval()` のあとも、最後の全結合層への入力が 1/(1 - p) 倍されています。評価モードのドロップアウトは何もしません。",
              en="After `model.eval()` the input of the last fully connected layer is still scaled by 1/(1 - p). In evaluation mode dropout does nothing.")
    with torch.no_grad():
        linear = (x.view(len(x), -1) @ l1.weight.T + l1.bias) @ l2.weight.T + l2.bias
    t.mistake(_close(first, linear) and not _close(linear, logits),
              ja="`DropoutMLP` の中間層に活性化関数 (ReLU) がありません。nn.Linear(784, 100) のあとに ReLU を通してからドロップアウトをかけてください。活性化関数がないと、2 つの全結合層は 1 つの線形の変換になってしまいます。",
              en="`DropoutMLP` has no activation (ReLU) on its hidden layer: put nn.Linear(784, 100) through a ReLU before the dropout. Without it the two fully connected layers are one linear map.")
    t.tensor(first, logits, name="DropoutMLP(p)(images) under eval()", atol=1e-4)

    model.train()
    with _Grab(l1, l2) as grab:
        a = plain_tensor(forward(t, model, x, "DropoutMLP"), "DropoutMLP(p)(images) under train()")
        b = plain_tensor(forward(t, model, x, "DropoutMLP"), "DropoutMLP(p)(images) under train()")
    t.mistake(torch.equal(a, b),
              ja="`model.train()` のあと、同じ入力に対する `DropoutMLP` の出力が毎回同じです。学習モードではドロップアウトを働かせ、呼ぶたびに違う中間層のユニットを 0 にしてください。",
              en="After `model.train()` the output of `DropoutMLP` is the same on every call: in training mode dropout should zero different hidden units each time.")
    position_ja = "ドロップアウトは ReLU のあと、最後の全結合層の前に置いてください (入力画像にかけるのではありません)。"
    position_en = "Put the dropout after the ReLU, before the last fully connected layer (not on the input image)."
    clean = x.view(len(x), -1) @ l1.weight.detach().T + l1.bias.detach()
    t.mistake(len(grab.pre) > 0 and not bool(torch.allclose(grab.pre[0], clean, atol=1e-4, rtol=1e-4)),
              ja="学習モードで、最初の全結合層の出力がすでにドロップアウトの影響を受けています (入力画像にドロップアウトがかかっています)。" + position_ja,
              en="In training mode the first fully connected layer's output is already touched by dropout (the dropout acts on the input image). " + position_en)
    got = grab.seen[0]
    hidden = _relu(grab.pre[0])  # the model's own hidden values, so rounding cannot differ
    t.expect(got.shape == hidden.shape,
             ja=f"最後の全結合層への入力の形が {tuple(got.shape)} で、中間層 {tuple(hidden.shape)} と違います。",
             en=f"The input of the last fully connected layer has shape {tuple(got.shape)}, not that of the hidden layer, {tuple(hidden.shape)}.")
    alive = hidden > 0
    kept = got != 0
    inside = bool((kept <= alive).all()) and bool(kept.any())
    scale = None
    if inside:
        ratio = got[kept].double() / hidden[kept].double()
        c = float(ratio.mean())
        if bool(torch.allclose(ratio, torch.full_like(ratio, c), rtol=1e-4, atol=1e-6)):
            scale = c
    t.expect(scale is not None,
             ja="学習モードで最後の全結合層に入る値が、中間層 (ReLU のあと) の値を 0 にしたものか、決まった倍率をかけたものになっていません。" + position_ja,
             en="In training mode the values entering the last fully connected layer are not the hidden values (after the ReLU), either zeroed or scaled by one factor. " + position_en)
    t.mistake(abs(scale - 1) < 1e-6,
              ja="学習モードで、ドロップアウトで残った中間層の値が元のままです。残った値は 1/(1 - p) 倍します。",
              en="In training mode the hidden values the dropout keeps are left as they were: scale the survivors by 1/(1 - p).")
    frac = 1 - float(kept[alive].float().mean())
    if abs(scale - 1 / (1 - p)) > 1e-3 or abs(frac - p) > 0.06:
        used = 1 - 1 / scale if scale > 1 else frac
        t.fail(ja=f"学習モードの `DropoutMLP` は、p = {used:.2g} のドロップアウトのように働いています (中間層のユニットの {frac:.0%} を 0 にし、残りを {scale:.3g} 倍)。"
                  f"引数は p = {p} です。`DropoutMLP(p)` に渡された p を使って、{p:.0%} 前後を 0 にし、残りを {1 / (1 - p):.3g} 倍にしてください。",
               en=f"In training mode `DropoutMLP` acts like dropout with p = {used:.2g} (it zeroes {frac:.0%} of the hidden units and scales the rest by {scale:.3g}). "
                  f"The argument is p = {p}: about {p:.0%} should be zeroed and the rest scaled by {1 / (1 - p):.3g}. Use the p given to `DropoutMLP(p)`.")
