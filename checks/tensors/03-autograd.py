"""Hidden checks for exercise 1.3 (gradients with autograd)."""

import torch

from tutor.checkkit import check

MANUAL_X1 = [[1.0, 2.0], [3.0, 4.0]]
MANUAL_X2 = [[1.0, -2.0], [-3.0, -4.0]]


def _leaf(values):
    return torch.tensor(values, dtype=torch.float32).requires_grad_(True)


def _expected(x1, x2):
    """z and the three gradients, computed by hand (in float64) from the values."""
    a, b = x1.detach().double(), x2.detach().double()
    y = a ** 2 + 2 * b
    gy = 3 * y ** 2
    return float((y ** 3).sum()), 2 * a * gy, 2 * gy, gy


def _call_grads(t, x1, x2, name):
    """Call grads, check the shape of the answer, return plain copies of its parts."""
    got = t.call("grads", x1, x2)
    t.expect(isinstance(got, (tuple, list)) and len(got) == 4,
             ja=f"`{name}` は 4 つの値のタプル (z, x1.grad, x2.grad, y.grad) を返してください。",
             en=f"`{name}` should return a tuple of four values (z, x1.grad, x2.grad, y.grad).")
    z, g1, g2, gy = got
    t.mistake(g1 is None or g2 is None,
              ja="`x1.grad` か `x2.grad` が None です。`z.backward()` を呼んだか、x1 と x2 をそのまま使って計算しているかを確かめてください (新しいテンソルを作ると、そちらに勾配が付きます)。",
              en="`x1.grad` or `x2.grad` is None. Check that you call `z.backward()` and compute with x1 and x2 themselves (a new tensor made from them gets the gradient instead).")
    t.mistake(gy is None,
              ja="`y.grad` が None です。y は x1, x2 から計算した途中のテンソル (葉ではない) なので、勾配は残りません。`backward()` の前に `y.retain_grad()` を呼んでください。",
              en="`y.grad` is None: y is an intermediate tensor (not a leaf), so its gradient is not kept. Call `y.retain_grad()` before `backward()`.")
    parts = [z]
    for value, label in ((g1, "x1.grad"), (g2, "x2.grad"), (gy, "y.grad")):
        parts.append(t.shape(value, tuple(x1.shape), name=f"{name} -> {label}").clone())
    return parts


def _compare(t, parts, x1, x2, name, tol=1e-4):
    z, g1, g2, gy = parts
    ez, e1, e2, ey = _expected(x1, x2)
    t.reduction(z, ez, x1.numel(), name=f"{name} -> z (z = sum(y**3))", rtol=tol, atol=1e-3)
    t.scalar(z, ez, name=f"{name} -> z", atol=1e-3, rtol=tol)
    t.tensor(gy, ey.float(), name=f"{name} -> y.grad", atol=1e-3, rtol=tol)
    t.tensor(g1, e1.float(), name=f"{name} -> x1.grad", atol=1e-3, rtol=tol)
    t.tensor(g2, e2.float(), name=f"{name} -> x2.grad", atol=1e-3, rtol=tol)


@check(ja="整数のリストから勾配を追跡する葉テンソルを作る", en="a leaf that requires grad from a list of integers")
def leaf(t):
    rows, cols = t.rng.randint(1, 4), t.rng.randint(2, 5)
    values = [[t.rng.randint(-9, 9) for _ in range(cols)] for _ in range(rows)]
    got = t.call("make_leaf", values)
    t.tensor(got, torch.tensor(values, dtype=torch.float32), name="make_leaf(values)")
    t.mistake(not got.requires_grad,
              ja="`make_leaf` の結果が勾配を追跡していません (`requires_grad` が False)。",
              en="The result of `make_leaf` does not track gradients (`requires_grad` is False).")
    t.mistake(got.grad_fn is not None,
              ja=f"`make_leaf` の結果に `grad_fn` ({type(got.grad_fn).__name__}) があります。つまり別のテンソルから計算された途中のテンソルで、葉ではないので `.grad` が付きません。作ったあとで型を変えるのではなく、最初から float32 で作ってから勾配の追跡を始めてください。",
              en=f"The result of `make_leaf` has a `grad_fn` ({type(got.grad_fn).__name__}): it was computed from another tensor, so it is not a leaf and gets no `.grad`. Create it as float32 from the start instead of converting it afterwards, then turn on gradient tracking.")
    t.expect(got.is_leaf, ja="`make_leaf` の結果が葉テンソルではありません。", en="The result of `make_leaf` is not a leaf tensor.")


@check(ja="教材の計算例 (z = 566)", en="the manual's worked numbers (z = 566)")
def manual_numbers(t):
    x1, x2 = _leaf(MANUAL_X1), _leaf(MANUAL_X2)
    parts = _call_grads(t, x1, x2, "grads(x1, x2)")
    _compare(t, parts, x1, x2, "grads(x1, x2)")


@check(ja="ランダムな入力での z と勾配", en="z and the gradients for random inputs")
def random_inputs(t):
    shape = (t.rng.randint(1, 4), t.rng.randint(2, 5))
    x1, x2 = t.randn(*shape).requires_grad_(True), t.randn(*shape).requires_grad_(True)
    parts = _call_grads(t, x1, x2, "grads(x1, x2)")
    _compare(t, parts, x1, x2, "grads(x1, x2)")


@check(ja="同じ x1, x2 で 2 回呼んでも勾配が足し込まれない", en="a second call on the same x1, x2 does not add up gradients")
def second_call(t):
    shape = (t.rng.randint(2, 4),)
    x1, x2 = t.randn(*shape).requires_grad_(True), t.randn(*shape).requires_grad_(True)
    _call_grads(t, x1, x2, "grads(x1, x2) (1st call)")
    first = _expected(x1, x2)
    with torch.no_grad():  # new values in the same leaves, as an optimizer step would do
        x1.add_(t.randn(*shape) * 0.5)
        x2.add_(t.randn(*shape) * 0.5)
    parts = _call_grads(t, x1, x2, "grads(x1, x2) (2nd call)")
    second = _expected(x1, x2)
    for i, leaf_name in ((1, "x1"), (2, "x2")):
        summed = (first[i] + second[i]).float()
        t.mistake(t.close(parts[i], summed, rtol=1e-4, atol=1e-3) and not t.close(summed, second[i].float(), rtol=1e-4, atol=1e-3),
                  ja=f"2 回目の `{leaf_name}.grad` が 1 回目と 2 回目の勾配の和になっています。`.grad` は `backward()` のたびに足し込まれます (accumulate)。`backward()` の前に `{leaf_name}` の前回の勾配を消してください。",
                  en=f"On the 2nd call `{leaf_name}.grad` is the sum of the 1st and 2nd gradients: `.grad` accumulates over `backward()` calls. Clear `{leaf_name}`'s previous gradient before calling `backward()`.")
    _compare(t, parts, x1, x2, "grads(x1, x2) (2nd call)")
