"""Hidden checks for exercise 5.2 (softmax and cross entropy by hand vs F.cross_entropy)."""

import contextlib

import torch
import torch.nn.functional as F

from tutor.checkkit import CheckFailure, check
from tutor.checkkit.compare import plain_tensor

# Bound before any student code runs.
_CROSS_ENTROPY, _NLL_LOSS = F.cross_entropy, F.nll_loss
_F_SOFTMAX, _T_SOFTMAX, _TENSOR_SOFTMAX = F.softmax, torch.softmax, torch.Tensor.softmax
_log_softmax, _softmax = torch.log_softmax, torch.softmax
_allclose = torch.allclose


def _logits(t, scale=3.0):
    """Logits (N, C) with N != C, so a softmax over the wrong dimension shows; labels (N,) int64."""
    c = t.rng.randint(3, 10)
    n = t.rng.choice([k for k in range(4, 13) if k != c])
    z = t.randn(n, c) * scale + t.randn(n, 1) * 2  # each row shifted: a row's offset must not matter
    y = torch.randint(0, c, (n,), generator=t.gen)
    return z, y


@contextlib.contextmanager
def _by_hand(name):
    """Inside: the library's cross entropy and softmax are refused with a message naming the rule."""
    def refuse(what):
        def call(*args, **kwargs):
            raise CheckFailure(
                ja=f"`{name}` の中で `{what}` を使っています。この関数は定義どおりに手で計算する練習なので、`torch.exp`、`torch.log`、`sum`、`max`、`torch.logsumexp` などで書いてください。",
                en=f"`{name}` calls `{what}`. This function is practice in computing it by hand from the definition: write it with `torch.exp`, `torch.log`, `sum`, `max`, `torch.logsumexp` and the like.")
        return call

    saved = F.cross_entropy, F.nll_loss, F.softmax, torch.softmax, torch.Tensor.softmax
    F.cross_entropy, F.nll_loss = refuse("F.cross_entropy"), refuse("F.nll_loss")
    if name == "softmax":
        F.softmax = torch.softmax = torch.Tensor.softmax = refuse("softmax")
    try:
        yield
    finally:
        F.cross_entropy, F.nll_loss, F.softmax, torch.softmax, torch.Tensor.softmax = saved


# The same rule for names bound at import and the autograd graph (`t.by_hand`).
_CE_LIBRARY = ("torch.nn.functional.cross_entropy", "torch.nn.functional.nll_loss", "torch.nn.CrossEntropyLoss",
               "torch.nn.NLLLoss")
_SOFTMAX_LIBRARY = ("torch.nn.functional.softmax", "torch.softmax", "torch.special.softmax", "torch.nn.Softmax")


def _close(a, b, atol=1e-5):
    return a.shape == b.shape and bool(_allclose(a.double(), b.double(), atol=atol, rtol=1e-4))


# -- softmax ----------------------------------------------------------------------

def _softmax_of(t, z):
    with _by_hand("softmax"):
        got = t.call("softmax", z.clone())
    t.by_hand("softmax", z.clone(), library=_SOFTMAX_LIBRARY, nodes=("SoftmaxBackward0",))
    return plain_tensor(got, "softmax(z)")


@check(ja="`softmax`: 各行が確率になる", en="`softmax`: every row becomes probabilities")
def softmax_rows(t):
    z, _ = _logits(t)
    got = _softmax_of(t, z)
    t.mistake(_close(got, _softmax(z, dim=0)),
              ja=f"`softmax` が列ごと (`dim=0`) に正規化しています。z の形は (N, C) = {tuple(z.shape)} で、1 行が 1 サンプルです。クラスについての和、つまり各行の和 (`dim=1`) で割ってください。",
              en=f"`softmax` normalizes each column (`dim=0`). z has shape (N, C) = {tuple(z.shape)}, one row per sample: divide by the sum over the classes, each row's sum (`dim=1`).")
    t.mistake(_close(got, torch.exp(z)),
              ja="`softmax` が exp(z) のままで、和で割っていません。各行の exp の和で割って、行の合計が 1 になるようにしてください。",
              en="`softmax` returns exp(z) without dividing by the sum. Divide by each row's sum of exponentials so every row adds up to 1.")
    t.mistake(_close(got, torch.exp(z) / torch.exp(z).sum()),
              ja="`softmax` が全要素の和で割っています。サンプルごと (各行) に、その行の exp の和で割ってください (`sum(dim=1, keepdim=True)`)。",
              en="`softmax` divides by the sum over all elements. Divide each row by its own sum of exponentials (`sum(dim=1, keepdim=True)`).")
    shifted = torch.exp(z - z.max(dim=1, keepdim=True).values)
    t.mistake(_close(got, shifted / shifted.sum(dim=0, keepdim=True)),
              ja=f"`softmax` が列ごと (`dim=0`) の和で割っています。z の形は (N, C) = {tuple(z.shape)} で、1 行が 1 サンプルです。各行の和 (`sum(dim=1, keepdim=True)`) で割ってください。",
              en=f"`softmax` divides by each column's sum (`dim=0`). z has shape (N, C) = {tuple(z.shape)}, one row per sample: divide by each row's sum (`sum(dim=1, keepdim=True)`).")
    e = torch.exp(z - z.max(dim=0, keepdim=True).values)
    t.mistake(_close(got, e / e.sum(dim=1, keepdim=True)) and not _close(got, _softmax(z, dim=1)),
              ja="`softmax` が各列 (`dim=0`) の最大値を引いています。1 行が 1 サンプルなので、引くのは各行の最大値 (`z.max(dim=1, keepdim=True)`) です。列ごとに違う値を引くと、行の中の比が変わってしまいます。",
              en="`softmax` subtracts each column's maximum (`dim=0`). One row is one sample: subtract each row's maximum (`z.max(dim=1, keepdim=True)`); a different shift per column changes the ratios within a row.")
    c = z.shape[1]
    t.mistake(_close(got, c * _softmax(z, dim=1)),
              ja=f"`softmax` がちょうど C = {c} 倍になっています。exp の平均 (mean) で割っています。各行の exp の合計 (sum) で割ってください。",
              en=f"`softmax` is exactly C = {c} times too large: you divide by the mean of the exponentials. Divide by each row's sum.")
    t.tensor(got, _softmax(z, dim=1), name="softmax(z)", atol=1e-6)


@check(ja="`softmax`: 大きなロジットでもあふれない", en="`softmax`: no overflow for large logits")
def softmax_large(t):
    z, _ = _logits(t)
    z = z * 10 + t.rng.choice([1, -1]) * t.uniform(300, 600)
    got = _softmax_of(t, z)
    t.mistake(got.shape == z.shape and not bool(torch.isfinite(got).all()),
              ja=f"ロジットが大きい (ここでは {float(z.min()):.0f} から {float(z.max()):.0f}) と、`softmax` の結果に nan や inf が出ます。float32 の exp は 88 くらいを超えるとあふれ (inf)、"
                 "inf / inf は nan です。先に各行の最大値を引いてから exp を計算してください。exp(z - m) / Σ exp(z - m) は元の値と同じです。",
              en=f"For large logits (here {float(z.min()):.0f} to {float(z.max()):.0f}) `softmax` gives nan or inf: in float32, exp overflows (inf) above about 88, and inf / inf is nan. "
                 "Subtract each row's maximum before exp; exp(z - m) / Σ exp(z - m) is the same value.")
    t.tensor(got, _softmax(z, dim=1), name="softmax(z) for large logits", atol=1e-6)


# -- cross entropy ------------------------------------------------------------------

def _ce_of(t, z, y, name="cross_entropy"):
    leaf = z.clone().requires_grad_(True)
    try:
        with _by_hand(name):
            got = t.call(name, leaf, y.clone())
        t.by_hand(name, z.clone().requires_grad_(True), y.clone(), library=_CE_LIBRARY, nodes=("NllLossBackward0",))
    except RuntimeError as exc:
        if "expected target dtype to be Long" in str(exc) or "target with class probabilities" in str(exc):
            t.fail(ja=f"`{name}` でエラーになりました ({exc})。正解ラベル y はクラス番号 (int64) のまま使います。one-hot にしたり `.float()` にしたりする必要はありません。",
                   en=f"`{name}` raised an error ({exc}). The labels y are class indices (int64): use them as they are, no one-hot, no `.float()`.")
        raise
    return leaf, got


def _ce_mistakes(t, got, z, y, name):
    """Name the usual wrong values of a cross entropy."""
    if not isinstance(got, torch.Tensor) or got.numel() != 1:
        return
    v = float(got.detach())
    n = len(y)
    logp = _log_softmax(z.double(), dim=1)
    right = -float(logp[torch.arange(n), y].mean())
    near = lambda a, b: abs(a - b) <= 1e-4 + 1e-4 * abs(b)
    t.mistake(near(v, n * right),
              ja=f"`{name}` が平均ではなく合計 (ちょうど N = {n} 倍) になっています。交差エントロピーはサンプルについて平均します (J = -(1/N) Σ log p)。",
              en=f"`{name}` is the sum, not the mean (exactly N = {n} times too large). The cross entropy averages over the samples (J = -(1/N) Σ log p).")
    t.mistake(near(v, -right),
              ja=f"`{name}` の符号が逆です (負の値 {v:.4g} になっています)。log p は 0 以下なので、交差エントロピーは -log p の平均です。",
              en=f"`{name}` has the wrong sign (it is {v:.4g}, negative). log p is at most 0, so the cross entropy is the mean of -log p.")
    t.mistake(near(v, -float(logp[:, y].mean())),
              ja="`logp[:, y]` のように取り出したため、正解クラスの値ではなく (N, N) のすべての組み合わせを平均しています。各行から正解クラスの値を 1 つずつ取り出すには `logp[torch.arange(N), y]` (または `gather`) と書きます。",
              en="Indexing like `logp[:, y]` averages an (N, N) block of every combination, not the true-class values. Take one value per row with `logp[torch.arange(N), y]` (or `gather`).")
    double = float(_CROSS_ENTROPY(_softmax(z.double(), dim=1), y))
    t.mistake(near(v, double),
              ja=f"`{name}` でソフトマックス関数が 2 回かかっています (確率にしたあとで、もう一度 softmax をかけています)。log-softmax はロジット z から直接計算してください。"
                 "`nn.CrossEntropyLoss` にソフトマックス関数の出力を渡したときと同じ間違いです。",
              en=f"`{name}` applies the softmax twice (a softmax on values that already are probabilities). Compute the log-softmax directly from the logits z. "
                 "It is the same mistake as feeding `nn.CrossEntropyLoss` the output of a softmax.")
    zd = z.double()
    m = zd.max(dim=1, keepdim=True).values
    columns = zd - m - torch.log(torch.exp(zd - m).sum(dim=0, keepdim=True))
    t.mistake(near(v, -float(columns[torch.arange(n), y].mean())) and not near(right, -float(columns[torch.arange(n), y].mean())),
              ja=f"`{name}` で exp の和を列ごと (`dim=0`、サンプルの方向) にとっています。log-softmax の和はクラスについて、各行 (`dim=1`) でとってください。",
              en=f"`{name}` sums the exponentials over each column (`dim=0`, across the samples): the log-softmax sums over the classes, along each row (`dim=1`).")
    c = z.shape[1]
    t.mistake(near(v, right - float(torch.log(torch.tensor(float(c))))),
              ja=f"`{name}` が正しい値よりちょうど log C = log {c} だけ小さくなっています。log-softmax の中で exp の和 (sum) ではなく平均 (mean) をとっています。",
              en=f"`{name}` is exactly log C = log {c} below the right value: the log-softmax takes the mean of the exponentials where it needs their sum.")
    t.mistake(near(v, -float(z.double()[torch.arange(n), y].mean())),
              ja=f"`{name}` がロジット z の正解クラスの値をそのまま平均しています。先に log-softmax (log p) にしてから取り出してください。",
              en=f"`{name}` averages the raw logits of the true classes. Take the log-softmax (log p) first, then pick the values.")


@check(ja="`cross_entropy`: F.cross_entropy と同じ値と勾配", en="`cross_entropy`: the same value and gradient as F.cross_entropy")
def cross_entropy_value(t):
    z, y = _logits(t)
    leaf, got = _ce_of(t, z, y)
    _ce_mistakes(t, got, z, y, "cross_entropy")
    ref = z.clone().requires_grad_(True)
    expected = _CROSS_ENTROPY(ref, y)
    expected.backward()
    t.tensor(got, expected.detach(), name="cross_entropy(z, y)", atol=1e-5)
    t.expect(isinstance(got, torch.Tensor) and got.grad_fn is not None,
             ja="`cross_entropy` の結果が z からの計算につながっていません (`item()` や NumPy を経由すると勾配が求まりません)。テンソルの演算だけで計算し、テンソルのまま返してください。",
             en="The result of `cross_entropy` is not connected to z (going through `item()` or NumPy loses the gradient). Compute it with tensor operations only and return a tensor.")
    got.backward()
    t.gradient(leaf.grad, ref.grad, name="z.grad after cross_entropy(z, y).backward()", atol=1e-5)


@check(ja="`cross_entropy`: 大きなロジットでも有限の値", en="`cross_entropy`: finite for large logits")
def cross_entropy_large(t):
    z, y = _logits(t)
    z = z * 40  # gaps of a hundred and more: softmax underflows to exactly 0 for some true classes
    others = torch.cat([z[0, :y[0]], z[0, y[0] + 1:]])
    z[0, y[0]] = others.max() - t.uniform(120, 200)  # at least one true class far below its row's maximum
    leaf, got = _ce_of(t, z, y)
    expected = _CROSS_ENTROPY(z, y)
    if isinstance(got, torch.Tensor) and got.numel() == 1 and not bool(torch.isfinite(got.detach()).all()):
        t.fail(ja=f"ロジットの差が大きい (最大で {float((z.max(1).values - z.min(1).values).max()):.0f}) と、`cross_entropy` が {float(got.detach())} になります (正しくは {float(expected):.4g})。"
                  "softmax を計算してから log をとると、float32 で 0 になった確率から log(0) = -inf が出るためです。log-softmax を "
                  "log p_k = z_k - m - log Σ_j exp(z_j - m) (m は行の最大値) と直接計算してください (`torch.logsumexp` も使えます)。",
               en=f"With large gaps between logits (up to {float((z.max(1).values - z.min(1).values).max()):.0f}) `cross_entropy` gives {float(got.detach())} (the right value is {float(expected):.4g}). "
                  "Taking log after softmax turns probabilities that underflow to 0 in float32 into log(0) = -inf. Compute the log-softmax directly: "
                  "log p_k = z_k - m - log Σ_j exp(z_j - m), m the row's maximum (`torch.logsumexp` helps).")
    t.tensor(got, expected, name="cross_entropy(z, y) for large logits", atol=1e-3, rtol=1e-4)


# -- the log_softmax + nll_loss route -------------------------------------------------

@check(ja="`cross_entropy_via_nll`: log_softmax と nll_loss で同じ値", en="`cross_entropy_via_nll`: the same value from log_softmax and nll_loss")
def via_nll(t):
    z, y = _logits(t)
    used = []

    def ce(*args, **kwargs):
        used.append("cross_entropy")
        return _CROSS_ENTROPY(*args, **kwargs)

    F.cross_entropy = ce
    try:
        got = t.call("cross_entropy_via_nll", z.clone(), y.clone())
    except RuntimeError as exc:
        if "expected target dtype to be Long" in str(exc) or "target with class probabilities" in str(exc):
            t.fail(ja=f"`cross_entropy_via_nll` でエラーになりました ({exc})。`F.nll_loss` の正解もクラス番号 (int64) のまま渡します。",
                   en=f"`cross_entropy_via_nll` raised an error ({exc}). `F.nll_loss` also takes the class indices (int64) as they are.")
        raise
    finally:
        F.cross_entropy = _CROSS_ENTROPY
    t.mistake(bool(used),
              ja="`cross_entropy_via_nll` の中で `F.cross_entropy` を呼んでいます。ここでは `F.log_softmax` と `F.nll_loss` の 2 段階に分けて、同じ値になることを確かめてください。",
              en="`cross_entropy_via_nll` calls `F.cross_entropy`. Here split it into the two steps `F.log_softmax` and `F.nll_loss` and see that they give the same value.")
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        v = float(got.detach())
        near = lambda a, b: abs(a - b) <= 1e-4 + 1e-4 * abs(b)
        idx = torch.arange(len(y))
        t.mistake(near(v, float(_NLL_LOSS(_softmax(z, dim=1), y))),
                  ja=f"`F.nll_loss` にソフトマックス関数の確率を渡しています (値が {v:.4g} と負になっています)。`nll_loss` は対数確率を受け取るので、`F.log_softmax(z, dim=1)` を渡してください。",
                  en=f"You pass `F.nll_loss` softmax probabilities (the value is {v:.4g}, negative). `nll_loss` takes log-probabilities: give it `F.log_softmax(z, dim=1)`.")
        t.mistake(near(v, -float(z[idx, y].mean())),
                  ja="`F.nll_loss` にロジット z をそのまま渡しています。`nll_loss` は正解クラスの値の符号を変えて平均するだけなので、先に `F.log_softmax(z, dim=1)` で対数確率にしてください。",
                  en="You pass the logits z to `F.nll_loss` as they are. `nll_loss` only negates and averages the true class's values: turn z into log-probabilities with `F.log_softmax(z, dim=1)` first.")
        t.mistake(near(v, float(_NLL_LOSS(_log_softmax(z, dim=0), y))),
                  ja="`F.log_softmax` の次元が `dim=0` (サンプルの方向) になっています。クラスの次元 `dim=1` で計算してください。",
                  en="`F.log_softmax` runs over `dim=0`, across the samples. Use the class dimension, `dim=1`.")
    t.tensor(got, _CROSS_ENTROPY(z, y), name="cross_entropy_via_nll(z, y)", atol=1e-5)
