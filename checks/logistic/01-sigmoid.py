"""Hidden checks for exercise 3.1 (the sigmoid and its derivative)."""

import torch

from tutor.checkkit import check

_sigmoid = torch.sigmoid  # bound before any student code runs
_allclose = torch.allclose

# Written from the definition means none of these (called, bound at import, or in the graph).
SIGMOID_LIBRARY = ("torch.sigmoid", "torch.Tensor.sigmoid", "torch.special.expit", "torch.nn.functional.sigmoid")


def _close(got, expected, atol=1e-5, rtol=1e-4):
    """True when `got` is a float tensor of the expected shape close to `expected` (no failure raised)."""
    if type(got) is not torch.Tensor or tuple(got.shape) != tuple(expected.shape) or not got.is_floating_point():
        return False
    g = got.detach().double()
    return bool(torch.isfinite(g).all()) and bool(_allclose(g, expected.double(), atol=atol, rtol=rtol))


def _inputs(t, n):
    """Moderate values, a few large ones of both signs, and 0."""
    u = t.randn(n) * 3
    big = (torch.rand(4, generator=t.gen) * 40 + 20) * torch.tensor([1.0, -1.0, 1.0, -1.0])
    return torch.cat([u, big, torch.zeros(1)])[torch.randperm(n + 5, generator=t.gen)]


def _check_sigmoid(t, u, name):
    got = t.by_hand("sigmoid", u.clone(), library=SIGMOID_LIBRARY, nodes=("SigmoidBackward0",))
    expected = _sigmoid(u.double())
    t.mistake(_close(got, 1 - expected),
              ja=f"`{name}` が 1 - σ(u) になっています。指数の符号が逆です: 分母は 1 + exp(u) ではなく 1 + exp(-u) です。",
              en=f"`{name}` gives 1 - σ(u): the sign in the exponent is wrong. The denominator is 1 + exp(-u), not 1 + exp(u).")
    t.mistake(_close(got, 1 + torch.exp(-u.double()), rtol=1e-3),
              ja=f"`{name}` が 1 + exp(-u) になっています。`1 / 1 + torch.exp(-u)` は (1 / 1) + exp(-u) と計算されます。分母全体を括弧でくくってください。",
              en=f"`{name}` gives 1 + exp(-u): `1 / 1 + torch.exp(-u)` is computed as (1 / 1) + exp(-u). Put the whole denominator in parentheses.")
    if type(got) is torch.Tensor and got.is_floating_point() and tuple(got.shape) == tuple(u.shape):
        g = got.detach()
        t.mistake(bool(((g < 0) | (g > 1)).any()),
                  ja=f"`{name}` に 0 より小さい値か 1 より大きい値があります。シグモイド関数の値はいつも 0 と 1 の間 (範囲 (0, 1)) に入るはずです。",
                  en=f"`{name}` has values below 0 or above 1. The sigmoid always lies between 0 and 1 (its range is (0, 1)).")
    t.tensor(got, expected.float(), name=name, atol=1e-6, rtol=1e-4)


@check(ja="sigmoid: σ(0) = 0.5 と教材の値", en="sigmoid: σ(0) = 0.5 and the lecture's values")
def sigmoid_known(t):
    u = torch.tensor([0.0, 1.0, -1.0, 2.0, -2.0])
    _check_sigmoid(t, u, "sigmoid(tensor([0., 1., -1., 2., -2.]))")


@check(ja="sigmoid: ランダムな入力 (大きな値も含む) と値の範囲", en="sigmoid: random inputs (large ones too) and the range")
def sigmoid_random(t):
    u = _inputs(t, t.rng.randint(20, 40))
    _check_sigmoid(t, u, f"sigmoid(u) (u: {u.numel()} random values)")
    got = t.call("sigmoid", torch.linspace(-6, 6, 25))
    t.expect(type(got) is torch.Tensor and bool((got.detach()[1:] >= got.detach()[:-1]).all()),
             ja="`sigmoid` が単調増加になっていません。u が大きいほど σ(u) も大きくなるはずです。",
             en="`sigmoid` is not increasing: σ(u) should grow with u.")


@check(ja="sigmoid_grad: σ'(u) = σ(u)(1 - σ(u))", en="sigmoid_grad: σ'(u) = σ(u)(1 - σ(u))")
def derivative(t):
    u = t.randn(t.rng.randint(15, 30)) * 3
    name = "sigmoid_grad(u)"
    got = t.call("sigmoid_grad", u.clone())
    s = _sigmoid(u.double())
    expected = s * (1 - s)
    ud = u.double()
    t.mistake(_close(got, ud * (1 - ud)),
              ja=f"`{name}` が u (1 - u) になっています。微分の式 σ(u)(1 - σ(u)) の σ(u) は u ではなく、シグモイド関数の値です。",
              en=f"`{name}` gives u (1 - u). In σ(u)(1 - σ(u)), σ(u) is the sigmoid's value, not u itself.")
    t.mistake(_close(got, s * (1 + s)) or _close(got, s),
              ja=f"`{name}` が σ(u)(1 - σ(u)) になっていません。(1 - σ(u)) の部分を確かめてください。",
              en=f"`{name}` is not σ(u)(1 - σ(u)): check the (1 - σ(u)) factor.")
    plain = t.tensor(got, expected.float(), name=name, atol=1e-6, rtol=1e-4)
    t.expect(bool(plain.max() <= 0.25 + 1e-6),
             ja=f"`{name}` に 0.25 より大きな値があります。σ'(u) の最大値は u = 0 のときの 0.25 です。",
             en=f"`{name}` has values above 0.25, the maximum of σ'(u), reached at u = 0.")


@check(ja="logit: シグモイド関数の逆関数", en="logit: the inverse of the sigmoid")
def logit_inverse(t):
    p = torch.rand(t.rng.randint(15, 30), generator=t.gen) * 0.96 + 0.02
    name = "logit(p)"
    got = t.call("logit", p.clone())  # the stub asks for the inverse, not for a way to write it
    expected = torch.log(p.double() / (1 - p.double()))
    t.mistake(_close(got, -expected, atol=1e-4, rtol=1e-3),
              ja=f"`{name}` の符号が逆です。p = 1 / (1 + exp(-u)) を解くと u = log(p / (1 - p)) で、(1 - p) / p ではありません。p > 0.5 なら u > 0 になるはずです。",
              en=f"`{name}` has the wrong sign. Solving p = 1 / (1 + exp(-u)) gives u = log(p / (1 - p)), not log((1 - p) / p); p > 0.5 should give u > 0.")
    t.tensor(got, expected.float(), name=name, atol=1e-4, rtol=1e-3)
    back = t.call("sigmoid", got.detach().clone())
    t.tensor(back, p, name="sigmoid(logit(p))", atol=1e-4, rtol=1e-3, dtype=False)
