"""Hidden checks for exercise 6.1 (the output-size formula O = floor((I - K + 2P) / S) + 1)."""

import math

import torch
import torch.nn.functional as F

from tutor.checkkit import check

LECTURE = [(3, 0, 1), (3, 0, 1), (2, 0, 2)]  # conv k3, conv k3, max-pool 2: 28 -> 26 -> 24 -> 12
HALVINGS = [(2, 0, 2)] * 3                   # three poolings: 32 -> 16 -> 8 -> 4
KEEP_AND_HALVE = [(3, 1, 1), (2, 0, 2)] * 3  # conv k3 p1 keeps the size, pooling halves it


def _right(i, k, p, s):
    return (i - k + 2 * p) // s + 1


def _pytorch(i, k, p, s):
    """What PyTorch itself gives for a square input of side i (a convolution with this kernel, padding, stride)."""
    x = torch.zeros(1, 1, i, i)
    w = torch.zeros(1, 1, k, k)
    return F.conv2d(x, w, padding=p, stride=s).shape[-1]


def _draws(t):
    """Cases drawn per run; several whose division leaves a remainder, some at least half a stride."""
    cases = []
    while len(cases) < 14:
        s = t.rng.choice([1, 2, 2, 3, 3, 4])
        k = t.rng.randint(1, 7)
        p = t.rng.randint(0, 3)
        i = t.rng.randint(max(k - 2 * p, 5), 64)
        rem = (i - k + 2 * p) % s
        if len(cases) < 3 and not rem * 2 > s:
            continue  # the first three leave more than half a stride over: round() and ceil() show
        if len(cases) < 6 and rem == 0:
            continue  # three more leave some remainder: a plain `/` shows
        if len(cases) in (6, 7) and not (s == 1 and p >= 2):
            continue  # two with stride 1 and padding 2 or 3: padding added once is told apart from a missing + 1
        cases.append((i, k, p, s))
    return cases


def _name(i, k, p, s):
    return f"conv_output_size({i}, {k}, padding={p}, stride={s})"


def _judge_size(t, got, i, k, p, s):
    right = _right(i, k, p, s)
    name = _name(i, k, p, s)
    exact = (i - k + 2 * p) / s + 1
    torch_says = _pytorch(i, k, p, s)
    if isinstance(got, float) and not isinstance(got, bool):
        t.mistake(got == exact and got != right,
                  ja=f"`{name}` が {got:.4g} と小数になっています。割り算 `/` の結果をそのまま使っていて、切り捨て (floor) をしていません。"
                     f"カーネルは入力の外にはみ出せないので、半端な分は切り捨てます。`//` を使うと {right} になります (PyTorch の `Conv2d` も {torch_says} です)。",
                  en=f"`{name}` is {got:.4g}, a fraction: you use the plain division `/` and never floor it. "
                     f"The kernel cannot hang over the edge, so the leftover is dropped: with `//` you get {right} (PyTorch's `Conv2d` gives {torch_says} too).")
        t.expect(False,
                 ja=f"`{name}` が float ({got!r}) です。大きさは整数なので、`//` で計算して int を返してください。",
                 en=f"`{name}` is a float ({got!r}). A size is a whole number: compute it with `//` and return an int.")
    t.expect(type(got) is int,
             ja=f"`{name}` が {type(got).__name__} を返しています。int を返してください。",
             en=f"`{name}` should return an int but returned a {type(got).__name__}.")
    if got == right:
        return None
    named = []
    if got == (i - k + p) // s + 1:
        named.append(dict(
            ja=f"`{name}` が {got} ですが、正しくは {right} です。パディングは上下 (左右) の両側に付くので、入力の大きさは I + 2P になります。P を 1 回しか足していません。",
            en=f"`{name}` is {got} but should be {right}. Padding goes on both sides, so the padded input is I + 2P: you added P only once."))
    if s > 1 and got == (i - k + 2 * p) + 1 and got != right:
        named.append(dict(
            ja=f"`{name}` が {got} ですが、正しくは {right} です。ストライド S = {s} で割っていません。カーネルは S ずつずれるので、(I - K + 2P) を S で割って (切り捨てて) から 1 を足します。",
            en=f"`{name}` is {got} but should be {right}: the stride S = {s} is left out. The kernel moves S at a time, so divide (I - K + 2P) by S (rounding down) before adding 1."))
    if p > 0 and got == (i - k) // s + 1 and got != right:
        named.append(dict(
            ja=f"`{name}` が {got} ですが、正しくは {right} です。パディング P = {p} を使っていません。パディングの分だけ入力は I + 2P に広がります。",
            en=f"`{name}` is {got} but should be {right}: the padding P = {p} is left out. Padding widens the input to I + 2P."))
    if got == right - 1:
        named.append(dict(
            ja=f"`{name}` が {got} で、正しい値 {right} より 1 小さくなっています。公式の最後の「+ 1」を忘れていませんか。カーネルを置ける最初の位置も 1 つと数えます。",
            en=f"`{name}` is {got}, one less than the right {right}. Did you forget the \"+ 1\" at the end of the formula? The kernel's first position counts too."))
    if got in (round(exact), math.ceil(exact)):
        named.append(dict(
            ja=f"`{name}` が {got} ですが、正しくは {right} です。公式の floor は「切り捨て」です。四捨五入 (`round`) や切り上げをすると、"
               f"カーネルが入力からはみ出す位置まで数えてしまいます (PyTorch の `Conv2d` も {torch_says} です)。",
            en=f"`{name}` is {got} but should be {right}. The floor in the formula rounds down: rounding to the nearest (`round`) or up "
               f"counts a position where the kernel would hang over the edge (PyTorch's `Conv2d` gives {torch_says})."))
    generic = dict(
        ja=f"`{name}` が {got} ですが、O = floor((I - K + 2P) / S) + 1 で計算すると {right} です (PyTorch の `Conv2d` も {torch_says} です)。",
        en=f"`{name}` is {got}, but O = floor((I - K + 2P) / S) + 1 gives {right} (PyTorch's `Conv2d` gives {torch_says} too).")
    return named[0] if len(named) == 1 else None, generic


@check(ja="出力サイズの公式 (毎回ちがう大きさで)", en="the output-size formula (on sizes drawn per run)")
def formula(t):
    wrong, answers, rights = [], set(), set()
    for i, k, p, s in _draws(t):
        got = t.call("conv_output_size", i, k, padding=p, stride=s)
        verdict = _judge_size(t, got, i, k, p, s)
        answers.add(got)
        rights.add(_right(i, k, p, s))
        if verdict:
            wrong.append(verdict)
    only = next(iter(answers)) if len(answers) == 1 else None
    t.mistake(len(answers) == 1 and len(rights) > 1,
              ja=f"`conv_output_size` がどの入力でも同じ値 ({only}) を返します。入力によらず決まった値を返すのではなく、size、kernel、padding、stride から公式で計算してください。",
              en=f"`conv_output_size` returns the same value ({only}) whatever the input: compute it from size, kernel, padding and stride with the formula.")
    # Name the mistake from a case only one wrong formula explains; otherwise say what is right.
    for named, _ in wrong:
        if named:
            t.fail(**named)
    if wrong:
        t.fail(**wrong[0][1])
    # the defaults padding=0, stride=1
    i, k = t.rng.randint(8, 40), t.rng.choice([3, 5])
    got = t.call("conv_output_size", i, k)
    t.equal(got, i - k + 1, name=f"conv_output_size({i}, {k})  (padding=0, stride=1 by default)")


def _trace(t, size, layers, label):
    got = t.call("trace_sizes", size, [tuple(x) for x in layers])
    want = [size]
    for k, p, s in layers:
        want.append(_right(want[-1], k, p, s))
    name = f"trace_sizes({size}, {label})"
    t.expect(isinstance(got, (list, tuple)),
             ja=f"`{name}` が {type(got).__name__} を返しています。リストを返してください。",
             en=f"`{name}` should return a list but returned a {type(got).__name__}.")
    got = list(got)
    t.mistake(len(got) not in (len(want), len(want) - 1),
              ja=f"`{name}` の長さが {len(got)} です。入力の大きさから始めて、層を 1 つ通るごとに大きさを 1 つ記録してください (全部で層の数 + 1 = {len(want)} 個)。",
              en=f"`{name}` has {len(got)} values: record the input size, then one size after every layer ({len(want)} values, the number of layers + 1).")
    t.mistake(got == want[1:],
              ja=f"`{name}` の最初に入力の大きさ {size} がありません。リストは入力の大きさから始めて、層を 1 つ通るごとに大きさを 1 つ追加します (長さは層の数 + 1)。",
              en=f"`{name}` does not start with the input size {size}. The list starts with the input size and adds one size per layer (its length is the number of layers + 1).")
    t.equal(got, want, name=name)


@check(ja="講義の CNN の大きさ 28→26→24→12 と 32→16→8→4", en="the lecture's sizes 28->26->24->12 and 32->16->8->4")
def traces(t):
    _trace(t, 28, LECTURE, "[(3, 0, 1), (3, 0, 1), (2, 0, 2)]")
    _trace(t, 32, HALVINGS, "[(2, 0, 2)] * 3")
    _trace(t, 32, KEEP_AND_HALVE, "[(3, 1, 1), (2, 0, 2)] * 3")
    size = t.rng.randint(20, 48)
    layers = []
    cur = size
    for _ in range(t.rng.randint(2, 4)):
        k, p, s = t.rng.choice([(3, 0, 1), (3, 1, 1), (5, 2, 1), (2, 0, 2), (3, 1, 2), (5, 0, 1)])
        if _right(cur, k, p, s) < 1:
            break
        layers.append((k, p, s))
        cur = _right(cur, k, p, s)
    _trace(t, size, layers, str(layers))


@check(ja="平坦化のサイズ (講義の CNN なら 12*12*64 = 9216)", en="the flatten size (12*12*64 = 9216 for the lecture's CNN)")
def flatten(t):
    got = t.call("flatten_size", 28, list(LECTURE), 64)
    t.mistake(got == 24 * 24 * 64,
              ja="`flatten_size(28, 講義の層, 64)` が 24*24*64 = 36864 です。最後の最大値プーリング (24 → 12) を数え忘れています。",
              en="`flatten_size(28, lecture layers, 64)` is 24*24*64 = 36864: you left out the final max pooling (24 -> 12).")
    t.mistake(got == 12 * 12,
              ja="`flatten_size(28, 講義の層, 64)` が 12*12 = 144 です。チャネル数 64 を掛け忘れています。平坦化すると、64 枚の特徴マップがすべて 1 列に並びます。",
              en="`flatten_size(28, lecture layers, 64)` is 12*12 = 144: you forgot to multiply by the 64 channels. Flattening lines up all 64 feature maps.")
    t.equal(got, 12 * 12 * 64, name="flatten_size(28, [(3, 0, 1), (3, 0, 1), (2, 0, 2)], 64)")
    for _ in range(3):
        size = t.rng.randint(16, 40)
        layers = [t.rng.choice([(3, 0, 1), (3, 1, 1), (2, 0, 2), (5, 0, 1)]) for _ in range(t.rng.randint(1, 3))]
        channels = t.rng.choice([8, 16, 32, 64, 128])
        cur = size
        for k, p, s in layers:
            cur = _right(cur, k, p, s)
        got = t.call("flatten_size", size, list(layers), channels)
        t.equal(got, channels * cur * cur, name=f"flatten_size({size}, {layers}, {channels})")
