"""Hidden checks for exercise 6.9 (ResNet's basic residual block).

The block runs once in evaluation mode, with random weights and random running
statistics in every batch normalization, while forward hooks record what each
Conv2d and BatchNorm2d received and returned. From those records the check finds
the main path and the shortcut by what flows into what (not by attribute names),
and compares the block's output with ReLU(main + shortcut).
"""

import torch
from torch import nn

from tutor.checkkit import check

_relu = torch.relu
CONFIGS = ((8, 8, 1), (8, 16, 1), (8, 16, 2))


def _build(t, cin, cout, stride):
    try:
        block = t.call("ResidualBlock", cin, cout, stride)
    except AttributeError as exc:
        if "before Module.__init__() call" in str(exc):
            t.fail(ja=f"`ResidualBlock` の `__init__` で `super().__init__()` を最初に呼んでください ({exc})。",
                   en=f"Call `super().__init__()` first in `ResidualBlock.__init__` ({exc}).")
        raise
    t.expect(isinstance(block, nn.Module),
             ja="`ResidualBlock(...)` が nn.Module ではありません。`class ResidualBlock(nn.Module):` と継承してください。",
             en="`ResidualBlock(...)` is not an nn.Module: inherit from it, `class ResidualBlock(nn.Module):`.")
    with torch.no_grad():
        for m in block.modules():
            if isinstance(m, nn.Conv2d):
                m.weight.copy_(t.randn(*m.weight.shape) * 0.3)
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(1 + 0.3 * t.randn(c))
                m.bias.copy_(0.3 * t.randn(c))
                m.running_mean.copy_(0.2 * t.randn(c))
                m.running_var.copy_(0.5 + torch.rand(c, generator=t.gen))
    return block.eval()


def _run(t, block, x, name):
    seen = []
    hooks = [m.register_forward_hook(lambda m, i, o: seen.append((m, i[0], o)))
             for m in block.modules() if isinstance(m, (nn.Conv2d, nn.BatchNorm2d))]
    try:
        with torch.no_grad():
            out = block(x)
    except RuntimeError as exc:
        if "must match the size" in str(exc):
            t.fail(ja=f"`{name}` でエラーになりました ({exc})。主経路とショートカットの形が合っていません。チャネル数か stride が変わるときは、ショートカットに 1x1 の畳み込み (stride 付き) と BatchNorm2d を入れて形を合わせてください。",
                   en=f"`{name}` raised an error ({exc}): the main path and the shortcut do not have the same shape. When the channels or the stride change, give the shortcut a 1x1 convolution (with the stride) and a BatchNorm2d.")
        raise
    finally:
        for h in hooks:
            h.remove()
    return out, seen


def _after(seen, tensor, kind):
    """The recorded module of `kind` whose input is `tensor`."""
    for m, i, o in seen:
        if isinstance(m, kind) and i.shape == tensor.shape and torch.equal(i, tensor):
            return m, o
    return None, None


@check(ja="形: (N, in, H, W) → (N, out, H', W')、ショートカットはチャネルか stride が変わるときだけ 1x1 の畳み込み", en="shapes: (N, in, H, W) -> (N, out, H', W'); a 1x1 convolution shortcut only when channels or stride change")
def shapes(t):
    for cin, cout, stride in CONFIGS:
        name = f"ResidualBlock({cin}, {cout}, stride={stride})"
        block = _build(t, cin, cout, stride)
        h = t.rng.randint(6, 9)
        x = t.randn(2, cin, h, h)
        out, seen = _run(t, block, x, name)
        side = (h - 1) // stride + 1
        t.shape(out, (2, cout, side, side), name=f"{name}(x of shape {tuple(x.shape)})")
        convs = [m for m in block.modules() if isinstance(m, nn.Conv2d)]
        ones = [m for m in convs if m.kernel_size == (1, 1)]
        identity = cin == cout and stride == 1
        t.mistake(identity and bool(ones),
                  ja=f"`{name}` は形が変わらないのに、ショートカットに 1x1 の畳み込みがあります。形が同じときのショートカットは x そのもの (恒等写像) です。",
                  en=f"`{name}` keeps the shape, yet its shortcut has a 1x1 convolution. When the shapes match, the shortcut is x itself (the identity).")
        t.expect(identity or bool(ones),
                 ja=f"`{name}` のショートカットに 1x1 の畳み込みがありません。形が変わるときは 1x1 の畳み込み (stride={stride}) と BatchNorm2d で形を合わせてください。",
                 en=f"The shortcut of `{name}` has no 1x1 convolution. When the shape changes, match it with a 1x1 convolution (stride={stride}) and a BatchNorm2d.")
        t.expect(all(m.bias is None for m in convs),
                 ja=f"`{name}` の畳み込みにバイアスがあります。すぐあとの BatchNorm2d が平均を引いてしまうので、`bias=False` にしてください。",
                 en=f"A convolution of `{name}` has a bias. The BatchNorm2d right after it subtracts the mean anyway: use `bias=False`.")


@check(ja="出力は ReLU(主経路 + ショートカット)、主経路は 畳み込み → BN → ReLU → 畳み込み → BN", en="the output is ReLU(main path + shortcut), the main path conv -> BN -> ReLU -> conv -> BN")
def values(t):
    for cin, cout, stride in CONFIGS:
        name = f"ResidualBlock({cin}, {cout}, stride={stride})"
        block = _build(t, cin, cout, stride)
        x = t.randn(2, cin, 8, 8)
        out, seen = _run(t, block, x, name)
        firsts = [(m, o) for m, i, o in seen if isinstance(m, nn.Conv2d) and torch.equal(i, x)]
        conv1, c1 = next(((m, o) for m, o in firsts if m.kernel_size == (3, 3)), (None, None))
        t.expect(conv1 is not None and conv1.stride == (stride, stride) and conv1.padding == (1, 1),
                 ja=f"`{name}` の主経路が、x を受け取る 3x3 の畳み込み (stride={stride}, padding=1) から始まっていません。",
                 en=f"The main path of `{name}` does not start with a 3x3 convolution of x (stride={stride}, padding=1).")
        bn1, b1 = _after(seen, c1, nn.BatchNorm2d)
        t.expect(bn1 is not None,
                 ja=f"`{name}` の 1 つ目の畳み込みのあとに BatchNorm2d がありません。",
                 en=f"`{name}` has no BatchNorm2d after its first convolution.")
        conv2, c2 = _after(seen, _relu(b1), nn.Conv2d)
        t.mistake(conv2 is None and _after(seen, b1, nn.Conv2d)[0] is not None,
                  ja=f"`{name}` の主経路で、1 つ目の BatchNorm2d と 2 つ目の畳み込みの間に ReLU がありません。",
                  en=f"In the main path of `{name}` there is no ReLU between the first BatchNorm2d and the second convolution.")
        t.expect(conv2 is not None and conv2.kernel_size == (3, 3) and conv2.stride == (1, 1) and conv2.padding == (1, 1),
                 ja=f"`{name}` の主経路の 2 つ目が、3x3 の畳み込み (stride=1, padding=1) になっていません。",
                 en=f"The second step of the main path of `{name}` is not a 3x3 convolution (stride=1, padding=1).")
        bn2, main = _after(seen, c2, nn.BatchNorm2d)
        t.expect(bn2 is not None,
                 ja=f"`{name}` の 2 つ目の畳み込みのあとに BatchNorm2d がありません。",
                 en=f"`{name}` has no BatchNorm2d after its second convolution.")
        short = x
        proj = next(((m, o) for m, o in firsts if m.kernel_size == (1, 1)), None)
        if proj is not None:
            bn_s, short = _after(seen, proj[1], nn.BatchNorm2d)
            t.expect(bn_s is not None,
                     ja=f"`{name}` のショートカットの 1x1 の畳み込みのあとに BatchNorm2d がありません。",
                     en=f"`{name}` has no BatchNorm2d after the 1x1 convolution of its shortcut.")
        want = _relu(main + short)
        if isinstance(out, torch.Tensor) and out.shape == want.shape:
            t.mistake(bool(torch.allclose(out, _relu(main), atol=1e-5)),
                      ja=f"`{name}` の出力に、ショートカットが足されていません。残差ブロックは主経路の出力に入力 x (またはショートカットの出力) を足します。",
                      en=f"The output of `{name}` has no shortcut added. A residual block adds the input x (or the shortcut's output) to the main path's output.")
            t.mistake(bool(torch.allclose(out, _relu(main) + short, atol=1e-5)),
                      ja=f"`{name}` が ReLU を足し算の前に (主経路だけに) かけています。ReLU は主経路とショートカットを足したあとにかけてください。",
                      en=f"`{name}` applies the ReLU before the addition, to the main path only. Apply it after adding the main path and the shortcut.")
        t.tensor(out, want, name=f"{name}(x)", atol=1e-4, rtol=1e-4)
