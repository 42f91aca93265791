"""Hidden checks for exercise 3.2 (binary cross entropy by hand and with PyTorch)."""

import math

import torch

from tutor.checkkit import check

# Bound before any student code runs.
_sigmoid = torch.sigmoid
_bce = torch.nn.functional.binary_cross_entropy
_bce_logits = torch.nn.functional.binary_cross_entropy_with_logits

# By hand means none of these (called, bound at import, or in the autograd graph).
BCE_LIBRARY = ("torch.nn.functional.binary_cross_entropy", "torch.nn.BCELoss",
               "torch.nn.functional.binary_cross_entropy_with_logits", "torch.nn.BCEWithLogitsLoss")
BCE_NODES = ("BinaryCrossEntropyBackward0", "BinaryCrossEntropyWithLogitsBackward0")


def _J(p, y):
    """Binary cross entropy in float64, mean over the elements."""
    p, y = p.double(), y.double()
    return float(-(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean())


def _number(got):
    """The student's result as a float, or None when it is not one number (the comparison then explains)."""
    if isinstance(got, bool):
        return None
    if isinstance(got, (int, float)):
        return float(got)
    if type(got) is torch.Tensor and got.numel() == 1 and got.is_floating_point():
        return float(got.detach().reshape(()).item())
    return None


def _fmt(value):
    return "None" if value is None else f"{value:.6g}"


def _near(value, target, rtol=1e-4, atol=1e-5):
    return value is not None and math.isfinite(value) and abs(value - target) <= atol + rtol * abs(target)


def _int_target_failure(t, exc, name):
    """Turn PyTorch's dtype error about integer targets into a message that names the mistake."""
    msg = str(exc)
    if "between 0 and 1" in msg:
        t.fail(ja=f"`{name}` でエラーになりました ({msg})。`nn.BCELoss` は 0 と 1 の間の確率を受け取りますが、u はロジット (任意の実数) です。ロジットのまま計算できる `nn.BCEWithLogitsLoss` を使ってください。",
               en=f"`{name}` raised an error ({msg}): `nn.BCELoss` takes probabilities between 0 and 1, but u holds logits (any real numbers). Use `nn.BCEWithLogitsLoss`, which takes the logits as they are.")
    if "Long" in msg or "Int" in msg:
        t.fail(ja=f"`{name}` でエラーになりました ({msg})。正解の `labels` が整数 (int64) のままです。`nn.BCELoss` と `nn.BCEWithLogitsLoss` は正解にも浮動小数点を求めるので、`labels.float()` で float32 にしてから渡してください。",
               en=f"`{name}` raised an error ({msg}): the `labels` are still integers (int64). `nn.BCELoss` and `nn.BCEWithLogitsLoss` need floating-point targets: pass `labels.float()` (integer (long) targets are not accepted).")
    raise exc


def _check_by_hand(t, p, y, name):
    n = p.numel()
    got = t.by_hand("bce", p.clone(), y.clone(), library=BCE_LIBRARY, nodes=BCE_NODES)
    v = _number(got)
    right = _J(p, y)
    t.mistake(_near(v, -right),
              ja=f"`{name}` が {_fmt(v)} で、正しい値の符号を逆にしたものです。log p は負の数なので、式の先頭にマイナスが必要です: J = -(1/N) Σ [...]。",
              en=f"`{name}` is {_fmt(v)}, the right value with the wrong sign. log p is negative, so the formula starts with a minus: J = -(1/N) Σ [...].")
    t.mistake(n > 1 and _near(v, n * right),
              ja=f"`{name}` がちょうど N 倍 (N = {n}) になっています。和 (`sum`) ではなく平均 (`mean`) をとってください。`nn.BCELoss` も平均です。",
              en=f"`{name}` is exactly N times (N = {n}) the right value: take the mean, not the sum. `nn.BCELoss` averages too.")
    t.mistake(_near(v, _J(p, 1 - y)),
              ja=f"`{name}` は y と 1 - y を入れ替えた値になっています。y = 1 のときに使うのは log p、y = 0 のときに使うのは log(1 - p) です。",
              en=f"`{name}` has y and 1 - y swapped: y = 1 goes with log p and y = 0 with log(1 - p).")
    only_pos = float(-(y.double() * torch.log(p.double())).mean())
    t.mistake(_near(v, only_pos) and not _near(only_pos, right),
              ja=f"`{name}` には (1 - y) log(1 - p) の項が入っていません。正解が 0 のデータも損失に数える必要があります。",
              en=f"`{name}` lacks the (1 - y) log(1 - p) term: the samples whose label is 0 must count in the loss too.")
    t.scalar(got, right, name=name, atol=1e-5, rtol=1e-4)


@check(ja="bce を手で: 教材の例 p = (0.9, 0.2, 0.6), y = (1, 0, 0)", en="bce by hand: the example p = (0.9, 0.2, 0.6), y = (1, 0, 0)")
def by_hand_example(t):
    _check_by_hand(t, torch.tensor([0.9, 0.2, 0.6]), torch.tensor([1.0, 0.0, 0.0]), "bce(p, y) for p = (0.9, 0.2, 0.6), y = (1, 0, 0)")


@check(ja="bce を手で: ランダムな p と y が nn.BCELoss と一致する", en="bce by hand: random p and y agree with nn.BCELoss")
def by_hand_random(t):
    n = t.rng.randint(10, 40)
    p = torch.rand(n, generator=t.gen) * 0.96 + 0.02
    y = (torch.rand(n, generator=t.gen) < 0.5).float()
    y[0], y[1] = 0.0, 1.0
    _check_by_hand(t, p, y, f"bce(p, y) (N = {n})")
    # Same value as PyTorch's own loss.
    t.scalar(t.call("bce", p.clone(), y.clone()), float(_bce(p, y)), name=f"bce(p, y) vs nn.BCELoss (N = {n})", atol=1e-5, rtol=1e-4)


@check(ja="bce_torch: nn.BCELoss と整数のラベル", en="bce_torch: nn.BCELoss with integer labels")
def with_bceloss(t):
    n = t.rng.randint(10, 40)
    p = torch.rand(n, generator=t.gen) * 0.96 + 0.02
    labels = (torch.rand(n, generator=t.gen) < 0.5).long()
    labels[0], labels[1] = 0, 1
    name = f"bce_torch(p, labels) (N = {n})"
    try:
        got = t.call("bce_torch", p.clone(), labels.clone())
    except RuntimeError as exc:
        _int_target_failure(t, exc, name)
    v = _number(got)
    right = float(_bce(p, labels.float()))
    swapped = float(_bce(labels.float(), p))
    t.mistake(_near(v, swapped, rtol=1e-3),
              ja=f"`{name}` は引数の順番が逆です。`nn.BCELoss()(入力, 正解)` の順で、先に予測した確率 p、あとに正解を渡します。",
              en=f"`{name}` has the arguments swapped: it is `nn.BCELoss()(input, target)`, the predicted probabilities p first, the labels second.")
    as_logits = float(_bce_logits(p, labels.float()))
    t.mistake(_near(v, as_logits, rtol=1e-3) and not _near(as_logits, right, rtol=1e-3),
              ja=f"`{name}` は p をロジットとして扱い、σ(p) の損失を計算しています (`nn.BCEWithLogitsLoss` か、`nn.BCELoss` の前のシグモイド関数)。p はすでに確率なので、そのまま `nn.BCELoss` に渡してください。",
              en=f"`{name}` treats p as logits and computes the loss of σ(p) (`nn.BCEWithLogitsLoss`, or a sigmoid before `nn.BCELoss`): p already holds probabilities, so pass it to `nn.BCELoss` as it is.")
    t.scalar(got, right, name=name, atol=1e-5, rtol=1e-4)


def _check_logits(t, u, labels, name):
    y = labels.float()
    try:
        got = t.call("bce_logits", u.clone(), labels.clone())
    except RuntimeError as exc:
        _int_target_failure(t, exc, name)
    v = _number(got)
    right = float(_bce_logits(u.double(), y.double()))
    double = float(_bce_logits(_sigmoid(u.double()), y.double()))
    t.mistake(_near(v, double) and not _near(double, right),
              ja=f"`{name}` はシグモイド関数を 2 回かけた値になっています。`nn.BCEWithLogitsLoss` は中でシグモイド関数を計算するので、u にシグモイド関数をかけずにそのまま渡してください。",
              en=f"`{name}` is what you get with the sigmoid applied twice: `nn.BCEWithLogitsLoss` computes the sigmoid itself, so pass the logits u as they are, without a sigmoid.")
    unsafe = float(_bce(_sigmoid(u), y))
    t.mistake(_near(v, unsafe, rtol=1e-3) and not _near(unsafe, right, rtol=1e-3),
              ja=f"`{name}` が {_fmt(v)} になっていますが、正しくは {_fmt(right)} です。シグモイド関数のあとに `nn.BCELoss` を使うと、u が大きいとき σ(u) が float32 でちょうど 1.0 に丸められ、log(0) が -100 で打ち切られてしまいます。数値的に安全な `nn.BCEWithLogitsLoss` に u をそのまま渡してください。",
              en=f"`{name}` is {_fmt(v)} but should be {_fmt(right)}. With a sigmoid followed by `nn.BCELoss`, σ(u) rounds to exactly 1.0 in float32 for large u and log(0) gets clipped at -100: this is not numerically safe. Give the logits u to `nn.BCEWithLogitsLoss` instead.")
    t.mistake(v is not None and not math.isfinite(v),
              ja=f"`{name}` が {v} です。u の絶対値が大きいと σ(u) は float32 でちょうど 0 か 1 になり、log(0) が出てきます。`nn.BCEWithLogitsLoss` は σ を経由せずに計算するので、この問題が起きません。",
              en=f"`{name}` is {v}. For large |u|, σ(u) is exactly 0 or 1 in float32 and log(0) appears. `nn.BCEWithLogitsLoss` computes the loss without going through σ, so it does not have this problem.")
    t.scalar(got, right, name=name, atol=1e-4, rtol=1e-4)


@check(ja="bce_logits: nn.BCEWithLogitsLoss にロジットを渡す", en="bce_logits: nn.BCEWithLogitsLoss on logits")
def with_logits(t):
    n = t.rng.randint(10, 40)
    u = t.randn(n) * 2.5
    labels = (torch.rand(n, generator=t.gen) < 0.5).long()
    labels[0], labels[1] = 0, 1
    _check_logits(t, u, labels, f"bce_logits(u, labels) (N = {n})")


@check(ja="bce_logits: 大きなロジットでも正しい値 (数値的に安全)", en="bce_logits: right values for large logits too (numerically safe)")
def large_logits(t):
    n = t.rng.randint(10, 20)
    u = t.randn(n) * 2
    labels = (torch.rand(n, generator=t.gen) < 0.5).long()
    # Confidently wrong predictions: large positive logits for label 0, large negative ones for label 1.
    big = torch.rand(4, generator=t.gen) * 40 + 25
    u = torch.cat([u, big[:2], -big[2:]])
    labels = torch.cat([labels, torch.tensor([0, 0, 1, 1])])
    perm = torch.randperm(u.numel(), generator=t.gen)
    _check_logits(t, u[perm], labels[perm], f"bce_logits(u, labels) with some |u| > 25 (N = {u.numel()})")
