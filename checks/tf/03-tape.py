"""Hidden checks for exercise 8.3 (a tape-style gradient function, like tf.GradientTape.gradient).

The expected gradients are computed by the check itself with autograd on its
own copies; the TensorFlow behaviour the contract copies (None for an
unconnected source, the gradient of the sum for a non-scalar target, nothing
stored on the tensors, the manual's 570 example) is verified against real
TensorFlow in test_tf_facts.py.
"""

import numpy as np
import torch

from tutor.checkkit import check
import _keras_ref as keras_ref  # checks/tf/_keras_ref.py
from _tfcheck import close  # checks/tf/_tfcheck.py

# Bound before any student code runs.
_grad = torch.autograd.grad
_detach = torch.Tensor.detach
_requires_grad_ = torch.Tensor.requires_grad_

NOT_STORED = ("TensorFlow の `tape.gradient` は勾配を返すだけで、テンソルには何も残しません。PyTorch で同じようにするには、`backward()` ではなく `torch.autograd.grad(...)` を使います (勾配を返り値として受け取り、`.grad` には足し込みません)。",
              "TensorFlow's `tape.gradient` only returns gradients and stores nothing on the tensors. To do the same in torch, use `torch.autograd.grad(...)` rather than `backward()`: it returns the gradients instead of adding them to `.grad`.")


def _expected(f, sources):
    """The gradients of sum(f(*sources)), on the check's own copies; None where f does not use a source."""
    copies = [_requires_grad_(_detach(s).clone(), True) for s in sources]
    target = f(*copies)
    return list(_grad(target.sum(), copies, allow_unused=True))


def _call(t, f, sources, name):
    try:
        got = t.call("gradient", f, list(sources))
    except RuntimeError as exc:
        text = str(exc)
        if "appears to not have been used" in text:
            t.fail(ja=f"`{name}` でエラーになりました ({text.splitlines()[0]})。ターゲットが使っていないソースがあると、`torch.autograd.grad` はそのままではエラーにします。"
                      "`tape.gradient` はそのソースの勾配として None を返すので、`allow_unused=True` を指定してください。",
                   en=f"`{name}` raised an error ({text.splitlines()[0]}). When the target does not use one of the sources, `torch.autograd.grad` refuses by default. "
                      "`tape.gradient` returns None for such a source: pass `allow_unused=True`.")
        if "implicitly created only for scalar outputs" in text:
            t.fail(ja=f"`{name}` でエラーになりました ({text.splitlines()[0]})。ターゲットが要素をいくつも持つテンソルのとき、`tape.gradient` はその和の勾配を返します。PyTorch では `target.sum()` の勾配を求めてください。",
                   en=f"`{name}` raised an error ({text.splitlines()[0]}). For a target with several elements `tape.gradient` returns the gradient of their sum: in torch, differentiate `target.sum()`.")
        if "does not require grad" in text:
            t.fail(ja=f"`{name}` でエラーになりました ({text.splitlines()[0]})。渡されたソースは `requires_grad=False` のこともあります (`tape.watch` していない定数のように)。勾配を追跡する自分用のコピー (`s.detach().requires_grad_(True)`) を作り、それで f を計算してください。",
                   en=f"`{name}` raised an error ({text.splitlines()[0]}). The sources may come with `requires_grad=False` (like constants a tape has not watched): make your own tracking copies (`s.detach().requires_grad_(True)`) and compute f on them.")
        raise
    t.expect(isinstance(got, (list, tuple)) and len(got) == len(sources),
             ja=f"`{name}` が {type(got).__name__} を返しています。ソースと同じ数 ({len(sources)} 個) の勾配のリストを返してください。",
             en=f"`{name}` should return a list of {len(sources)} gradients, one per source, but returned a {type(got).__name__}.")
    return list(got)


def _compare(t, got, expected, sources, name):
    for i, (g, e, s) in enumerate(zip(got, expected, sources)):
        label = f"{name}[{i}]"
        if e is None:
            t.mistake(isinstance(g, torch.Tensor) and not bool((g != 0).any()),
                      ja=f"`{label}` がゼロのテンソルです。ターゲットがこのソースを使っていないとき、`tape.gradient` はゼロではなく None を返します。`torch.autograd.grad(..., allow_unused=True)` も None を返すので、そのまま返してください。",
                      en=f"`{label}` is a tensor of zeros. When the target does not use a source, `tape.gradient` returns None, not zeros; `torch.autograd.grad(..., allow_unused=True)` gives None too, so return it as it is.")
            t.equal(g, None, name=label)
            continue
        t.expect(g is not None,
                 ja=f"`{label}` が None になっています。ターゲットはこのソースを使っているので、その勾配を返してください。",
                 en=f"`{label}` is None, but the target uses this source, so it has a gradient.")
        t.mistake(isinstance(g, torch.Tensor) and g.numel() > 1 and t.close(g, e.float() / g.numel(), rtol=1e-4, atol=1e-6)
                  and not t.close(e, e / g.numel()),
                  ja=f"`{label}` が正しい勾配のちょうど 1/{g.numel()} です。ターゲットの要素の平均 (mean) の勾配になっています。`tape.gradient` が返すのは和 (`target.sum()`) の勾配です。",
                  en=f"`{label}` is exactly 1/{g.numel()} of the right gradient: that of the mean of the target's elements. `tape.gradient` gives the gradient of their sum (`target.sum()`).")
        t.tensor(g, e.float(), name=label, atol=1e-4, rtol=1e-4)


@check(ja="教材の TF v1 の例: z = sum((x1^2 + 2 x2)^3) + 4 = 570 の勾配", en="the manual's TF v1 example: the gradients of z = sum((x1^2 + 2 x2)^3) + 4 = 570")
def manual(t):
    x1 = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    x2 = torch.tensor([[1.0, -2.0], [-3.0, -4.0]])
    _, z, e1, e2 = keras_ref.manual_graph(x1.numpy(), x2.numpy())
    name = "gradient(f, [x1, x2])"
    got = _call(t, lambda a, b: ((a ** 2 + 2 * b) ** 3).sum() + 4, [x1, x2], name)
    _compare(t, got, [torch.from_numpy(e1), torch.from_numpy(e2)], [x1, x2], name)


@check(ja="ランダムな関数と入力での勾配", en="gradients of a random function at random inputs")
def random_function(t):
    n, m = t.rng.randint(2, 4), t.rng.randint(2, 5)
    a, b, w = t.randn(n, m), t.randn(m), t.randn(m)
    c = round(t.uniform(0.5, 2.0), 2)

    def f(a, b, w):
        return (torch.tanh(a @ w) * c).sum() + (a * b).pow(2).mean() - (w * b).sum()

    sources = [a, b, w]
    name = f"gradient(f, [a {tuple(a.shape)}, b {tuple(b.shape)}, w {tuple(w.shape)}])"
    got = _call(t, f, sources, name)
    _compare(t, got, _expected(f, sources), sources, name)


@check(ja="`tape.gradient` と同じく、ソースに `.grad` を残さず `requires_grad` も変えない", en="like `tape.gradient`, no `.grad` left on the sources and `requires_grad` unchanged")
def no_trace(t):
    n = t.rng.randint(2, 5)
    variable = t.randn(n).requires_grad_(True)       # like a tf.Variable: a leaf that tracks gradients
    constant = t.randn(n)                            # like a tf.constant: no tracking
    f = lambda v, k: (v * v * k).sum()               # noqa: E731
    sources = [variable, constant]
    expected = _expected(f, sources)
    name = "gradient(f, [variable, constant])"
    for call in ("1st", "2nd"):
        got = _call(t, f, sources, f"{name} ({call} call)")
        t.mistake(variable.grad is not None,
                  ja=f"`{name}` のあと、ソースの `variable.grad` に値が入っています。{NOT_STORED[0]}",
                  en=f"After `{name}`, the source `variable.grad` holds a value: your function left `.grad` on the sources. {NOT_STORED[1]}")
        t.mistake(constant.requires_grad or not variable.requires_grad,
                  ja=f"`{name}` が、渡されたテンソルの `requires_grad` を変えてしまいました。`tape.watch` は元のテンソルを変えません。元のテンソルではなく、`s.detach().requires_grad_(True)` で作った自分用のコピーで計算してください。",
                  en=f"`{name}` changed `requires_grad` of the tensors it was given. `tape.watch` does not change the tensor: compute on your own copies made with `s.detach().requires_grad_(True)`, not on the caller's tensors.")
        _compare(t, got, expected, sources, f"{name} ({call} call)")


@check(ja="ターゲットが使わないソースの勾配は None", en="None for a source the target does not use")
def unused_source(t):
    n = t.rng.randint(2, 5)
    a, b = t.randn(n), t.randn(n)
    f = lambda a, b: (a * a).sum()                   # noqa: E731  (b is not used)
    name = "gradient(lambda a, b: (a * a).sum(), [a, b])"
    got = _call(t, f, [a, b], name)
    _compare(t, got, _expected(f, [a, b]), [a, b], name)


@check(ja="要素が複数あるターゲットでは、その和の勾配", en="for a target with several elements, the gradient of its sum")
def vector_target(t):
    n, m = t.rng.randint(2, 4), t.rng.randint(2, 4)
    a = t.randn(n, m)
    f = lambda a: a ** 3 - 2 * a                     # noqa: E731  (a (n, m) target)
    name = "gradient(lambda a: a ** 3 - 2 * a, [a])"
    got = _call(t, f, [a], name)
    _compare(t, got, [3 * a.double() ** 2 - 2], [a], name)
