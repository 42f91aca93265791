"""Hidden checks for exercise 6.2 (cross-correlation and max pooling by hand)."""

import contextlib

import torch

from tutor.checkkit import check

# Bound at import, before any student code runs: the checks' own reference.
_conv2d = torch.conv2d
_max_pool2d = torch.max_pool2d
_avg_pool2d = torch._C._nn.avg_pool2d

# What "by hand" rules out: PyTorch's own convolution and pooling, functional or as layers.
_BUILTINS = [(torch.nn.functional, "conv2d"), (torch, "conv2d"), (torch.nn.functional, "max_pool2d"),
             (torch, "max_pool2d"), (torch.nn.functional, "max_pool2d_with_indices"),
             (torch.nn.functional, "avg_pool2d"), (torch, "convolution"), (torch.nn.functional, "conv_transpose2d")]


def _ref_corr(x, k, stride=1, padding=0):
    return _conv2d(x[None, None], k[None, None], stride=stride, padding=padding)[0, 0]


def _ref_pool(x, size):
    return _max_pool2d(x[None, None], size)[0, 0]


@contextlib.contextmanager
def _no_builtins(used):
    saved = [(mod, name, getattr(mod, name)) for mod, name in _BUILTINS]

    def refuse(label):
        def stand_in(*args, **kwargs):
            used.append(label)
            raise _Builtin(label)
        return stand_in

    for mod, name, _ in saved:
        setattr(mod, name, refuse(name))
    try:
        yield
    finally:
        for mod, name, fn in saved:
            setattr(mod, name, fn)


class _Builtin(Exception):
    pass


# The same rule for names bound at import and the autograd graph (`t.by_hand`).
_LIBRARY = tuple(f"{mod.__name__}.{name}" for mod, name in _BUILTINS) + ("torch.nn.Conv2d", "torch.nn.MaxPool2d")
_NODES = ("ConvolutionBackward0", "MaxPool2DWithIndicesBackward0", "AvgPool2DBackward0")


def _call(t, name, *args, **kwargs):
    used = []
    try:
        with _no_builtins(used):
            got = t.call(name, *args, **kwargs)
        t.by_hand(name, *args, library=_LIBRARY, nodes=_NODES, **kwargs)
        return got
    except _Builtin:
        pass
    except (RuntimeError, IndexError, ValueError) as exc:
        _parameter_failure(t, name, args, kwargs, exc)
    t.fail(ja=f"`{name}` の中で PyTorch の `{used[0]}` (または `nn.Conv2d` / `nn.MaxPool2d`) を使っています。この演習では、窓をずらしながら掛け算と和 (または最大値) を"
              "自分で計算してください。PyTorch の結果と同じになるかどうかは、チェックが確かめます。",
           en=f"`{name}` uses PyTorch's own `{used[0]}` (or `nn.Conv2d` / `nn.MaxPool2d`). In this exercise, slide the window and compute the products and sums "
              "(or the maximum) yourself; the checks compare your result with PyTorch's.")


def _parameter_failure(t, name, args, kwargs, exc):
    """An error that only a stride, a padding or a pool size other than 1 and 0 brings out:
    name the parameter the code does not follow everywhere. Anything else is the student's error."""
    stride, padding = kwargs.get("stride", 1), kwargs.get("padding", 0)
    if name == "max_pool" and len(args) > 1 and args[1] > 1:
        size = args[1]
        t.fail(ja=f"`max_pool(x, {size})` でエラーになりました ({exc})。大きさ size = {size} をすべての場所で使っているか確かめてください: 出力は (H // size, W // size) で、"
                  f"i 番目の窓は行 i*size から (i+1)*size の手前までです。",
               en=f"`max_pool(x, {size})` raised an error ({exc}). Check that the size = {size} is used everywhere: the output is (H // size, W // size), "
                  f"and window i covers rows i*size up to (i+1)*size.")
    if name == "cross_correlate" and (stride != 1 or padding != 0):
        parts_ja, parts_en = [], []
        if padding:
            parts_ja.append(f"パディング padding = {padding} (パディングした入力の大きさは (H + 2*padding, W + 2*padding) で、x はその padding 行・列目から入ります)")
            parts_en.append(f"the padding = {padding} (the padded input is (H + 2*padding, W + 2*padding), with x placed from row and column padding)")
        if stride != 1:
            parts_ja.append(f"ストライド stride = {stride} (出力の大きさは floor((H - K + 2*padding) / stride) + 1 で、i 番目の窓は i*stride から始まります)")
            parts_en.append(f"the stride = {stride} (the output size is floor((H - K + 2*padding) / stride) + 1, and window i starts at i*stride)")
        t.fail(ja=f"`cross_correlate(..., stride={stride}, padding={padding})` でエラーになりました ({exc})。" + "、".join(parts_ja) + " をすべての場所で使っているか確かめてください。",
               en=f"`cross_correlate(..., stride={stride}, padding={padding})` raised an error ({exc}). Check that your code uses " + " and ".join(parts_en) + " everywhere.")
    raise exc


def _judge_corr(t, got, x, k, stride, padding, name):
    want = _ref_corr(x, k, stride, padding)
    if isinstance(got, torch.Tensor) and type(got) is torch.Tensor and got.dim() == 2:
        g = got.detach().double()
        shape = tuple(got.shape)
        close = lambda ref: shape == tuple(ref.shape) and bool(torch.allclose(g, ref.double(), atol=1e-4, rtol=1e-4))
        right = close(want)
        flipped = _ref_corr(x, torch.flip(k, dims=(0, 1)), stride, padding)
        t.mistake(close(flipped) and not right,
                  ja=f"`{name}` はカーネルを上下左右に反転してから掛けています (数学の「畳み込み」)。PyTorch の `Conv2d` が計算するのは反転しない相互相関 (cross-correlation) です。"
                     "窓の左上の値にはカーネルの左上の値を掛けます。",
                  en=f"`{name}` flips the kernel before multiplying (the convolution of mathematics). PyTorch's `Conv2d` computes the cross-correlation, with no kernel flip: "
                     "the top-left value of the window is multiplied by the top-left value of the kernel.")
        unpadded = _ref_corr(x, k, stride, 0)
        no_pad = shape != tuple(want.shape) and shape == tuple(unpadded.shape)
        t.mistake(bool(padding) and not right and (no_pad or close(unpadded)),
                  ja=f"`{name}` はパディングのないときの結果になっています (形 {shape})。padding={padding} なら、入力の周りを 0 で {padding} 個ずつ囲んでから計算します。",
                  en=f"`{name}` is the result without padding (shape {shape}), the size without padding. With padding={padding}, surround the input with {padding} zeros on every side first.")
        t.mistake(shape != tuple(want.shape),
                  ja=f"`{name}` の形が {shape} になっています。{tuple(want.shape)} にしてください。出力の大きさは演習 6.1 の O = floor((I - K + 2P) / S) + 1 で、高さと幅それぞれについて決まります。",
                  en=f"`{name}` has shape {shape} but should have {tuple(want.shape)}. The output size is O = floor((I - K + 2P) / S) + 1 from Exercise 6.1, for the height and for the width.")
    if stride > 1 and isinstance(got, torch.Tensor) and tuple(got.shape) == tuple(want.shape):
        step_one = _ref_corr(x, k, 1, padding)[:want.shape[0], :want.shape[1]]
        t.mistake(t.close(got, step_one, rtol=1e-4, atol=1e-4) and not t.close(want, step_one, rtol=1e-4, atol=1e-4),
                  ja=f"`{name}` の出力の大きさは合っていますが、窓が 1 つずつしかずれていません。ストライド stride = {stride} なら、i 番目の窓は i*stride から始まります。",
                  en=f"`{name}` has the right output size, but its windows move one step at a time: with stride = {stride}, window i starts at i*stride.")
    t.reduction(got, want, k.numel(), name=name, rtol=1e-4, atol=1e-4)
    t.tensor(got, want, name=name, atol=1e-4, rtol=1e-4)


@check(ja="教材の例: 5x5 の入力 1..25 と 3x3 のカーネル 1..9 で左上が 411", en="the manual's example: input 1..25 (5x5), kernel 1..9 (3x3), 411 at the top left")
def manual_example(t):
    x = torch.arange(1.0, 26.0).reshape(5, 5)
    k = torch.arange(1.0, 10.0).reshape(3, 3)
    got = _call(t, "cross_correlate", x.clone(), k.clone())
    _judge_corr(t, got, x, k, 1, 0, "cross_correlate(x 1..25, kernel 1..9)")
    t.scalar(got[0, 0], 411.0, name="cross_correlate(x 1..25, kernel 1..9)[0, 0]")


@check(ja="ランダムな入力・カーネル・ストライド・パディングで `F.conv2d` と同じ", en="the same as `F.conv2d` for random inputs, kernels, strides and paddings")
def random_inputs(t):
    for stride, padding in [(1, 0), (1, t.rng.randint(1, 2)), (2, 0), (t.rng.randint(2, 3), t.rng.randint(1, 2))]:
        h, w = t.rng.randint(6, 13), t.rng.randint(6, 13)
        kh, kw = t.rng.randint(2, 4), t.rng.randint(2, 4)
        x, k = t.randn(h, w), t.randn(kh, kw)
        name = f"cross_correlate(x {h}x{w}, kernel {kh}x{kw}, stride={stride}, padding={padding})"
        got = _call(t, "cross_correlate", x.clone(), k.clone(), stride=stride, padding=padding)
        _judge_corr(t, got, x, k, stride, padding, name)


@check(ja="最大値プーリングが `F.max_pool2d` と同じ", en="max pooling gives the same as `F.max_pool2d`")
def pooling(t):
    for size in (2, t.rng.choice([2, 3]), 3):
        h, w = t.rng.randint(6, 15), t.rng.randint(6, 15)
        if size == 2 and h % 2 == 0:
            h += 1  # an odd side: its last row is dropped
        x = t.randn(h, w)
        want = _ref_pool(x, size)
        name = f"max_pool(x {h}x{w}, {size})"
        got = _call(t, "max_pool", x.clone(), size)
        if isinstance(got, torch.Tensor) and type(got) is torch.Tensor and got.dim() == 2:
            shape = tuple(got.shape)
            t.mistake(shape == (h - size + 1, w - size + 1),
                      ja=f"`{name}` の形が {shape} で、窓を 1 つずつずらしています (ストライド 1)。`MaxPool2d(k)` のストライドは既定でカーネルサイズと同じ k なので、窓は重ならずに k 個ずつ進みます。"
                         f"出力の形を {tuple(want.shape)} にしてください。",
                      en=f"`{name}` has shape {shape}: you move the window one step at a time (stride 1). `MaxPool2d(k)` has stride k by default, the kernel size, "
                         f"so the windows do not overlap and move k at a time. The output should be {tuple(want.shape)}.")
            t.mistake(shape == (-(-h // size), -(-w // size)) and shape != tuple(want.shape),
                      ja=f"`{name}` の形が {shape} です。端に残った、窓に満たない行や列は捨てます (floor)。出力の形を {tuple(want.shape)} にしてください。",
                      en=f"`{name}` has shape {shape}. Rows and columns left over at the edge, too few for a whole window, are dropped (floor): the output should be {tuple(want.shape)}.")
            if shape == tuple(want.shape):
                avg = _avg_pool2d(x[None, None], size)[0, 0]
                t.mistake(bool(torch.allclose(got.detach().double(), avg.double(), atol=1e-5)),
                          ja=f"`{name}` が各窓の平均になっています (平均値プーリング)。最大値プーリングは各窓の最大値を取ります。",
                          en=f"`{name}` gives the mean of each window (average pooling). Max pooling takes the maximum of each window.")
        t.tensor(got, want, name=name, atol=1e-6, rtol=1e-6)
