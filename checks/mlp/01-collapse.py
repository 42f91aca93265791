"""Hidden checks for exercise 4.1 (two linear layers are one affine map; the bias folded into W)."""

import torch
from torch import nn

from tutor.checkkit import check


def _layer(t, n_in, n_out):
    """An nn.Linear whose weight and bias are drawn from the run's generator."""
    layer = nn.Linear(n_in, n_out)
    with torch.no_grad():
        layer.weight.copy_(t.randn(n_out, n_in))
        layer.bias.copy_(t.randn(n_out))
    return layer


def _same(got, expected):
    """True if `got` is a tensor of the expected shape and values (no message)."""
    if expected is None or not isinstance(got, torch.Tensor) or tuple(got.shape) != tuple(expected.shape):
        return False
    return bool(torch.allclose(got.detach().double(), expected.double(), atol=1e-4, rtol=1e-4))


def _mm(a, b):
    """a @ b, or None where the shapes do not fit (for naming mistakes only)."""
    return a @ b if a.shape[-1] == b.shape[0] else None


def _untouched(t, before, after, what, name):
    t.expect(bool(torch.equal(before, after)),
             ja=f"`{name}` が受け取った {what} を書き換えています。新しいテンソルを作って返してください (その場で書き換える操作や `.data` への代入は使いません)。",
             en=f"`{name}` changed the {what} it was given. Build and return a new tensor (no in-place operations, no assignment to `.data`).")


def _check_collapse(t, n, h, m):
    l1, l2 = _layer(t, n, h), _layer(t, h, m)
    W1, b1, W2, b2 = (p.detach().clone() for p in (l1.weight, l1.bias, l2.weight, l2.bias))
    W_exp, b_exp = W2 @ W1, W2 @ b1 + b2
    name = f"collapse(Linear({n}, {h}), Linear({h}, {m}))"
    try:
        got = t.call("collapse", l1, l2)
    except RuntimeError as exc:
        if "must match" in str(exc) and h != m:
            t.fail(ja=f"`{name}` でテンソルの形が合わず、足し算ができませんでした ({exc})。b1 (形 ({h},)) と b2 (形 ({m},)) はそのままでは足せません。"
                      "b1 は layer2 の重みを通ってから出てくるので、b = W2 b1 + b2 です。",
                   en=f"In `{name}` two tensors could not be added ({exc}). b1 (shape ({h},)) and b2 (shape ({m},)) do not add up as they are: "
                      "b1 comes out through layer2's weight, so b = W2 b1 + b2.")
        if "cannot be multiplied" not in str(exc) and "size mismatch" not in str(exc):
            raise
        t.fail(ja=f"`{name}` で行列の形が合わず、掛け算ができませんでした ({exc})。`nn.Linear(in, out).weight` の形は (out, in) です。"
                  "先に働くのは layer1 なので、その行列は右側に来ます: W = W2 W1 (形 (m, h) と (h, n) の積)。",
               en=f"In `{name}` the matrix shapes did not fit ({exc}). `nn.Linear(in, out).weight` has shape (out, in). "
                  "layer1 acts first, so its matrix stands on the right: W = W2 W1, a (m, h) times (h, n) product.")
    t.expect(isinstance(got, (tuple, list)) and len(got) == 2,
             ja=f"`{name}` が {type(got).__name__} を返しています。2 つのテンソル (W, b) のタプルを返してください。",
             en=f"`{name}` should return a tuple of two tensors (W, b) but returned a {type(got).__name__}.")
    W, b = got
    t.mistake(isinstance(W, torch.Tensor) and isinstance(b, torch.Tensor) and tuple(W.shape) == (m,) and tuple(b.shape) == (m, n),
              ja=f"`{name}` が (b, W) の順で返しています。(W, b) の順に返してください。",
              en=f"`{name}` returns (b, W): return them in the order (W, b).")
    for p, before in zip((l1.weight, l1.bias, l2.weight, l2.bias), (W1, b1, W2, b2)):
        _untouched(t, before, p.detach(), "layer's weight or bias", name)
    t.mistake(_same(W, _mm(W1, W2)) and not _same(_mm(W1, W2), W_exp),
              ja=f"`{name}` の W が W1 W2 になっています。順番が逆です。x に先に掛かるのは layer1 なので、W2 (W1 x) = (W2 W1) x で、W = W2 W1 です。",
              en=f"The W from `{name}` is W1 W2: the wrong order. layer1 acts on x first, so W2 (W1 x) = (W2 W1) x and W = W2 W1.")
    t.mistake(_same(W, W_exp.T) or _same(W, _mm(W1.T, W2.T)),
              ja=f"`{name}` の W が転置されています (形 (n, m) の向き)。`nn.Linear(in, out).weight` の形は (in, out) ではなく (out, in) です。W は layer2 の出力数 m 行、layer1 の入力数 n 列の (m, n) です。",
              en=f"The W from `{name}` is transposed. `nn.Linear(in, out).weight` has shape (out, in), not (in, out); W is (m, n): the outputs of layer2 by the inputs of layer1.")
    W_plain = t.tensor(W, W_exp, name=f"{name}[0] (W)", atol=1e-4, rtol=1e-4)
    t.mistake(_same(b, b1 + b2) and not _same(b1 + b2, b_exp) if h == m else False,
              ja=f"`{name}` の b が b1 + b2 になっています。layer1 のバイアス b1 も layer2 の重みを通って出てきます: W2 (W1 x + b1) + b2 なので、b = W2 b1 + b2 です。",
              en=f"The b from `{name}` is b1 + b2. layer1's bias b1 also passes through layer2's weight: W2 (W1 x + b1) + b2, so b = W2 b1 + b2.")
    t.mistake(_same(b, b2) or _same(b, _mm(W2, b1)),
              ja=f"`{name}` の b に、2 つのバイアスの片方しか入っていません。W2 (W1 x + b1) + b2 を展開すると b = W2 b1 + b2 で、両方が効きます。",
              en=f"The b from `{name}` holds only one of the two biases. Expanding W2 (W1 x + b1) + b2 gives b = W2 b1 + b2: both count.")
    b_plain = t.tensor(b, b_exp, name=f"{name}[1] (b)", atol=1e-4, rtol=1e-4)
    # The proof by computation: the single map gives what the two layers give.
    x = t.randn(6, n)
    with torch.no_grad():
        stacked = l2(l1(x))
    t.tensor(x @ W_plain.T + b_plain, stacked, name=f"x @ W.T + b vs layer2(layer1(x)) for {name}", atol=1e-4, rtol=1e-4)


@check(ja="同じ大きさの 2 層をまとめる", en="collapse two square layers")
def collapse_square(t):
    n = t.rng.randint(2, 5)
    _check_collapse(t, n, n, n)


@check(ja="大きさの違う 2 層をまとめる", en="collapse two layers of different sizes")
def collapse_shapes(t):
    n, h, m = t.rng.sample(range(2, 9), 3)
    _check_collapse(t, n, h, m)


@check(ja="バイアスを W の最後の列にする", en="the bias as W's last column")
def fold(t):
    m, n = t.rng.sample(range(2, 7), 2)
    W, b = t.randn(m, n), t.randn(m)
    W0, b0 = W.clone(), b.clone()
    name = f"fold_bias(W {tuple(W.shape)}, b {tuple(b.shape)})"
    got = t.call("fold_bias", W, b)
    _untouched(t, W0, W, "W", name)
    _untouched(t, b0, b, "b", name)
    t.mistake(_same(got, torch.cat([b0[:, None], W0], 1)),
              ja=f"`{name}` で b が最初の列に入っています。x の最後に 1 を付け加えるので、それに掛かる b は W の最後の列です。",
              en=f"`{name}` put b in the first column. The 1 is appended at the end of x, so b, which multiplies it, is W's last column.")
    t.tensor(got, torch.cat([W0, b0[:, None]], 1), name=name)


@check(ja="x の最後に 1 の列を付け加える", en="append a column of ones to x")
def ones_column(t):
    N, n = t.rng.sample(range(3, 9), 2)
    x = t.randn(N, n)
    x0 = x.clone()
    name = f"append_one(x {tuple(x.shape)})"
    got = t.call("append_one", x)
    _untouched(t, x0, x, "x", name)
    t.mistake(_same(got, torch.cat([torch.ones(N, 1), x0], 1)),
              ja=f"`{name}` で 1 が先頭の列に入っています。この演習では 1 を最後の列に付け加え、バイアスも W の最後の列に置きます。",
              en=f"`{name}` put the ones in the first column. In this exercise they go last, matching the bias in W's last column.")
    t.mistake(_same(got, torch.cat([x0, torch.zeros(N, 1)], 1)),
              ja=f"`{name}` で付け加えた列が 0 です。0 を掛けるとバイアスが消えてしまいます。1 を付け加えてください。",
              en=f"`{name}` appended zeros: the bias times 0 vanishes. Append ones.")
    t.mistake(isinstance(got, torch.Tensor) and tuple(got.shape) == (N + 1, n),
              ja=f"`{name}` の形が ({N + 1}, {n}) で、1 行 (サンプル 1 つ) 増えています。1 を付け加えるのは各サンプルの最後、つまり列の方向 (`dim=1`) です。",
              en=f"`{name}` has shape ({N + 1}, {n}): you added a row, i.e. a sample. The one goes at the end of each sample, along the columns (`dim=1`).")
    t.tensor(got, torch.cat([x0, torch.ones(N, 1)], 1), name=name)


@check(ja="バイアスを取り込んだ W で nn.Linear と同じ出力になる", en="the folded W gives what nn.Linear gives")
def folded_layer(t):
    n, m = t.rng.sample(range(2, 7), 2)
    layer = _layer(t, n, m)
    x = t.randn(t.rng.randint(3, 8), n)
    W_aug = t.shape(t.call("fold_bias", layer.weight.detach().clone(), layer.bias.detach().clone()), (m, n + 1), name="fold_bias(layer.weight, layer.bias)")
    x_aug = t.shape(t.call("append_one", x.clone()), (x.shape[0], n + 1), name="append_one(x)")
    with torch.no_grad():
        expected = layer(x)
    t.tensor(x_aug.float() @ W_aug.float().T, expected, name="append_one(x) @ fold_bias(W, b).T", atol=1e-4, rtol=1e-4)
