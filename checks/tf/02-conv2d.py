"""Hidden checks for exercise 8.2 (Keras Conv2D weights, NHWC batches and Flatten order in torch).

Per run the check draws NHWC batches and Keras-layout weights (Conv2D kernel
(kh, kw, in, out), Dense kernel after a Flatten with rows in (h, w, c) order)
and compares the student's torch layers with what Keras computes
(`_keras_ref.conv2d`, `flatten`, `small_cnn`, verified against real TensorFlow
in test_tf_facts.py).
"""

import numpy as np
import torch
from torch import nn

from tutor.checkkit import check
import _keras_ref as keras_ref  # checks/tf/_keras_ref.py
from _tfcheck import close, forward, keras_array, module, param_count, to_tensor  # checks/tf/_tfcheck.py

_permute = torch.Tensor.permute


def _hw(t):
    """Height and width that differ, so that swapping them changes the shape."""
    h = t.rng.randint(5, 8)
    return h, h + t.rng.randint(1, 3)


def _nchw(x):
    """The check's own NHWC -> NCHW conversion (so each function is judged on its own)."""
    return _permute(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)), 0, 3, 1, 2).contiguous()


def _nhwc(y):
    return _permute(y.detach(), 0, 2, 3, 1).numpy()


# -- NHWC <-> NCHW --------------------------------------------------------------------

def _judge_to_nchw(t, x, name):
    n, h, w, c = x.shape
    got = t.call("nhwc_to_nchw", x.copy())
    if isinstance(got, torch.Tensor):
        t.mistake(tuple(got.shape) == (n, c, w, h) and h != w,
                  ja=f"`{name}` の形が (N, C, W, H) = {(n, c, w, h)} になっています。高さと幅が入れ替わっています。NHWC の軸番号は N=0, H=1, W=2, C=3 なので、NCHW にするには `permute(0, 3, 1, 2)` です。",
                  en=f"`{name}` has the shape (N, C, W, H) = {(n, c, w, h)}: height and width are swapped. In NHWC the axes are N=0, H=1, W=2, C=3, so NCHW is `permute(0, 3, 1, 2)`.")
        t.mistake(close(got, x.reshape(n, c, h, w)) and not close(x.reshape(n, c, h, w), x.transpose(0, 3, 1, 2)),
                  ja=f"`{name}` は形こそ (N, C, H, W) ですが、`reshape` (`view`) で作ったので値の並びが違います。`reshape` は要素を並んだ順に詰め直すだけで、軸は入れ替わりません。軸を並べ替えるのは `permute(0, 3, 1, 2)` です。",
                  en=f"`{name}` has the shape (N, C, H, W) but was made with `reshape` (`view`), so the values are in the wrong places: reshaping refills the elements in their order, it does not move axes. Moving axes is `permute(0, 3, 1, 2)`.")
    t.tensor(got, torch.from_numpy(x.transpose(0, 3, 1, 2).astype(np.float32)), name=name, atol=1e-6, rtol=1e-6)


@check(ja="`nhwc_to_nchw`: NHWC の NumPy 配列を NCHW の float32 テンソルにする", en="`nhwc_to_nchw`: an NHWC NumPy array as an NCHW float32 tensor")
def to_nchw(t):
    h, w = _hw(t)
    x = keras_array(t, t.rng.randint(2, 4), h, w, t.rng.randint(2, 4))
    _judge_to_nchw(t, x, f"nhwc_to_nchw(x {x.shape})")


@check(ja="`nhwc_to_nchw`: float64 の画像 (画素値 / 255.0) でも float32 にする", en="`nhwc_to_nchw`: float32 even from float64 images (pixels / 255.0)")
def to_nchw_float64(t):
    h, w = _hw(t)
    pixels = np.array([t.rng.randint(0, 255) for _ in range(2 * h * w * 3)]).reshape(2, h, w, 3)
    x = pixels / 255.0
    _judge_to_nchw(t, x, f"nhwc_to_nchw(x {x.shape} float64)")


@check(ja="`nchw_to_nhwc`: 勾配を追跡している NCHW のテンソルを NHWC の NumPy 配列にする", en="`nchw_to_nhwc`: an NCHW tensor that tracks gradients as an NHWC NumPy array")
def to_nhwc(t):
    h, w = _hw(t)
    n, c = t.rng.randint(2, 4), t.rng.randint(2, 5)
    base = t.randn(n, c, h, w).requires_grad_(True)
    y = base * 1.0                                    # like a model's output: it has a grad_fn
    name = f"nchw_to_nhwc(y {tuple(y.shape)})"
    try:
        got = t.call("nchw_to_nhwc", y)
    except RuntimeError as exc:
        if "requires grad" in str(exc):
            t.fail(ja=f"`{name}` で `numpy()` がエラーになりました。勾配を追跡しているテンソルは、そのままでは NumPy 配列にできません。`y.detach().cpu()` のあとに軸を並べ替えて `.numpy()` を呼んでください。",
                   en=f"`{name}`: `numpy()` raised an error. A tensor that tracks gradients cannot become a NumPy array as it is: call `y.detach().cpu()`, move the axes, then `.numpy()`.")
        raise
    expected = base.detach().numpy().transpose(0, 2, 3, 1)
    t.expect(isinstance(got, np.ndarray),
             ja=f"`{name}` が {type(got).__name__} を返しています。NumPy 配列 (`np.ndarray`) を返してください。最後に `.numpy()` を呼んでください。",
             en=f"`{name}` should return a NumPy array (`np.ndarray`) but returned a {type(got).__name__}: finish with `.numpy()`.")
    t.mistake(got.shape == (n, w, h, c),
              ja=f"`{name}` の形が (N, W, H, C) になっています。NCHW の軸は N=0, C=1, H=2, W=3 なので、NHWC にするには `permute(0, 2, 3, 1)` です。",
              en=f"`{name}` has the shape (N, W, H, C). In NCHW the axes are N=0, C=1, H=2, W=3, so NHWC is `permute(0, 2, 3, 1)`.")
    t.mistake(close(got, base.detach().numpy().reshape(n, h, w, c)),
              ja=f"`{name}` は `reshape` で形だけを (N, H, W, C) にしています。軸を並べ替えるのは `permute(0, 2, 3, 1)` です。",
              en=f"`{name}` only reshapes to (N, H, W, C); moving the axes is `permute(0, 2, 3, 1)`.")
    t.tensor(torch.from_numpy(np.ascontiguousarray(got)), torch.from_numpy(np.ascontiguousarray(expected)), name=name, atol=1e-6, rtol=1e-6)


# -- Conv2D ---------------------------------------------------------------------------

PERMUTE = ("Keras の `Conv2D` のカーネルは (kh, kw, in, out)、PyTorch の `nn.Conv2d.weight` は (out, in, kh, kw) です。軸を `permute(3, 2, 0, 1)` で並べ替えてください。",
           "A Keras `Conv2D` kernel is (kh, kw, in, out); torch's `nn.Conv2d.weight` is (out, in, kh, kw). Move the axes with `permute(3, 2, 0, 1)`.")


def _conv(t, kernel, bias, padding):
    kh, kw, c_in, c_out = kernel.shape
    name = f"conv2d_from_keras(kernel {kernel.shape}, bias, {padding!r})"
    conv = module(t, t.call("conv2d_from_keras", kernel.copy(), bias.copy(), padding), name, nn.Conv2d)
    shape = tuple(conv.weight.shape)
    t.mistake(shape == kernel.shape and kernel.shape != (c_out, c_in, kh, kw),
              ja=f"`{name}.weight` の形が Keras のカーネルと同じ {kernel.shape} のままです。{PERMUTE[0]}",
              en=f"`{name}.weight` still has the Keras kernel's shape {kernel.shape}. {PERMUTE[1]}")
    t.mistake(shape == (c_out, c_in, kw, kh) and kh != kw,
              ja=f"`{name}.weight` の形が (out, in, kw, kh) で、カーネルの高さと幅が入れ替わっています。(kh, kw, in, out) から (out, in, kh, kw) へは `permute(3, 2, 0, 1)` です (`permute(3, 2, 1, 0)` や `.T` では kh と kw も逆になります)。",
              en=f"`{name}.weight` is (out, in, kw, kh): the kernel's height and width are swapped. From (kh, kw, in, out) to (out, in, kh, kw) is `permute(3, 2, 0, 1)` (`permute(3, 2, 1, 0)` or `.T` reverses kh and kw too).")
    t.equal(shape, (c_out, c_in, kh, kw), name=f"{name}.weight.shape")
    t.dtype(conv.weight, torch.float32, name=f"{name}.weight")
    t.expect(param_count(conv) == kernel.size + bias.size,
             ja=f"`{name}` のパラメータは {param_count(conv)} 個になっています。カーネルとバイアスで {kernel.size + bias.size} 個にしてください。",
             en=f"`{name}` has {param_count(conv)} parameters but the kernel and bias make {kernel.size + bias.size}.")
    return conv, name


def _judge_conv(t, conv, name, kernel, bias, padding, x):
    kh, kw = kernel.shape[:2]
    n, h, w, _ = x.shape
    out = forward(t, conv, _nchw(x), name)
    t.expect(isinstance(out, torch.Tensor) and out.dim() == 4,
             ja=f"`{name}` の出力が 4 次元のテンソルではありません。", en=f"The output of `{name}` is not a 4-D tensor.")
    size = tuple(out.shape[2:])
    valid, same = (h - kh + 1, w - kw + 1), (h, w)
    t.mistake(padding == "same" and size == valid and valid != same,
              ja=f"`{name}` の出力の高さと幅が {size} に縮んでいます。Keras の `padding=\"same\"` (ストライド 1) は入力と同じ大きさを保つので、両側に (k - 1) / 2 ずつパディングします。`nn.Conv2d` では `padding=(kh // 2, kw // 2)` (または `padding=\"same\"`) です。",
              en=f"The output of `{name}` shrinks to {size}. Keras's `padding=\"same\"` (stride 1) keeps the input size by padding (k - 1) / 2 on each side: in `nn.Conv2d` that is `padding=(kh // 2, kw // 2)` (or `padding=\"same\"`).")
    t.mistake(padding == "valid" and size == same and valid != same,
              ja=f"`{name}` の出力が入力と同じ大きさ {size} です。Keras の `padding=\"valid\"` はパディングなし (`padding=0`) なので、大きさは (H - kh + 1, W - kw + 1) = {valid} になります。",
              en=f"The output of `{name}` keeps the input size {size}. Keras's `padding=\"valid\"` means no padding (`padding=0`): the size becomes (H - kh + 1, W - kw + 1) = {valid}.")
    got = _nhwc(out)
    expected = keras_ref.conv2d(x, kernel, bias, padding)
    t.mistake(kh == kw and close(got, keras_ref.conv2d(x, kernel.transpose(1, 0, 2, 3), bias, padding)) and not close(got, expected),
              ja=f"`{name}` の出力は、カーネルの高さと幅を入れ替えたときの値です。(kh, kw, in, out) から (out, in, kh, kw) へは `permute(3, 2, 0, 1)` です (`permute(3, 2, 1, 0)` や `.T` では kh と kw も逆になります)。",
              en=f"`{name}` gives the outputs of the kernel with height and width swapped. From (kh, kw, in, out) to (out, in, kh, kw) is `permute(3, 2, 0, 1)` (`permute(3, 2, 1, 0)` or `.T` reverses kh and kw too).")
    reshaped = kernel.reshape(kernel.shape[3], kernel.shape[2], kh, kw).transpose(2, 3, 1, 0)   # back to Keras layout
    t.mistake(close(got, keras_ref.conv2d(x, reshaped, bias, padding)) and not close(got, expected),
              ja=f"`{name}` の重みは、カーネルを `reshape` で (out, in, kh, kw) の形にしただけのものです。`reshape` は軸を入れ替えません。{PERMUTE[0]}",
              en=f"The weight of `{name}` is the kernel merely reshaped to (out, in, kh, kw); reshaping does not move axes. {PERMUTE[1]}")
    t.tensor(torch.from_numpy(np.ascontiguousarray(got)), to_tensor(expected), name=f"{name} on an NHWC batch", atol=1e-4, rtol=1e-4)


def _conv_case(t, padding, square):
    sizes = [1, 3, 5]
    kh = t.rng.choice(sizes[1:])
    kw = kh if square else t.rng.choice([s for s in sizes if s != kh])
    c_in, c_out = t.rng.randint(1, 3), t.rng.randint(2, 4)
    kernel, bias = keras_array(t, kh, kw, c_in, c_out, scale=0.5), keras_array(t, c_out)
    h, w = _hw(t)
    x = keras_array(t, t.rng.randint(2, 3), h, w, c_in)
    conv, name = _conv(t, kernel, bias, padding)
    _judge_conv(t, conv, name, kernel, bias, padding, x)


@check(ja="`conv2d_from_keras`: padding=\"valid\"、縦横の大きさが違うカーネル", en="`conv2d_from_keras`: padding=\"valid\" with a non-square kernel")
def conv_valid(t):
    _conv_case(t, "valid", square=False)


@check(ja="`conv2d_from_keras`: padding=\"same\"、正方形のカーネル", en="`conv2d_from_keras`: padding=\"same\" with a square kernel")
def conv_same(t):
    _conv_case(t, "same", square=True)


@check(ja="`conv2d_from_keras`: padding=\"same\"、縦横の大きさが違うカーネル", en="`conv2d_from_keras`: padding=\"same\" with a non-square kernel")
def conv_same_rect(t):
    _conv_case(t, "same", square=False)


# -- Flatten -> Dense ---------------------------------------------------------------------

def _flatten_dense(t, kernel, bias, h, w, c):
    name = f"dense_after_flatten(kernel {kernel.shape}, bias, {h}, {w}, {c})"
    layer = module(t, t.call("dense_after_flatten", kernel.copy(), bias.copy(), h, w, c), name, nn.Linear)
    t.equal(tuple(layer.weight.shape), (kernel.shape[1], h * w * c), name=f"{name}.weight.shape")
    t.dtype(layer.weight, torch.float32, name=f"{name}.weight")
    return layer, name


@check(ja="`dense_after_flatten`: Flatten のあとの Dense 層を、PyTorch の NCHW の平坦化に合わせる", en="`dense_after_flatten`: the Dense layer after a Flatten, for torch's flatten of NCHW")
def flatten_dense(t):
    h, w = _hw(t)
    c, units = t.rng.randint(2, 4), t.rng.randint(2, 5)
    kernel, bias = keras_array(t, h * w * c, units, scale=0.3), keras_array(t, units)
    layer, name = _flatten_dense(t, kernel, bias, h, w, c)
    maps = keras_array(t, t.rng.randint(2, 4), h, w, c)            # NHWC feature maps, as Keras has them
    got = forward(t, layer, _nchw(maps).flatten(1), name)
    expected = keras_ref.dense(keras_ref.flatten(maps), kernel, bias)
    naive = keras_ref.dense(_nchw(maps).flatten(1).numpy(), kernel, bias)
    t.mistake(close(got, naive) and not close(naive, expected),
              ja=f"`{name}` はカーネルを転置しただけです。Keras の `Flatten` は NHWC の特徴マップを (h, w, c) の順に並べますが、PyTorch の `x.flatten(1)` は NCHW を (c, h, w) の順に並べます。"
                 "カーネルの行をその順に並べ替えてください: (h*w*c, out) を (h, w, c, out) に `reshape` → (c, h, w, out) に軸を並べ替え → (c*h*w, out) に戻してから転置します。",
              en=f"`{name}` only transposes the kernel. Keras's `Flatten` lays out an NHWC feature map in (h, w, c) order, while torch's `x.flatten(1)` lays out NCHW in (c, h, w) order. "
                 "Reorder the kernel's rows: reshape (h*w*c, out) to (h, w, c, out), move the axes to (c, h, w, out), reshape back to (c*h*w, out), then transpose.")
    t.tensor(got, to_tensor(expected), name=f"{name}(x.flatten(1))", atol=1e-4, rtol=1e-4)


@check(ja="全部をつないで: Keras の小さな CNN (Conv2D → ReLU → Flatten → Dense) と同じ出力", en="all together: the same outputs as a small Keras CNN (Conv2D -> ReLU -> Flatten -> Dense)")
def whole_cnn(t):
    h, w = _hw(t)
    padding = t.rng.choice(["valid", "same"])
    k = t.rng.choice([3, 5])
    c_in, c_out, units = 3, t.rng.randint(2, 4), t.rng.randint(2, 5)
    ck, cb = keras_array(t, k, k, c_in, c_out, scale=0.4), keras_array(t, c_out, scale=0.3)
    ho, wo = (h, w) if padding == "same" else (h - k + 1, w - k + 1)
    dk, db = keras_array(t, ho * wo * c_out, units, scale=0.3), keras_array(t, units)
    x = keras_array(t, 3, h, w, c_in)
    conv, name = _conv(t, ck, cb, padding)
    dense, _ = _flatten_dense(t, dk, db, ho, wo, c_out)
    nchw = t.call("nhwc_to_nchw", x.copy())
    t.shape(nchw, (3, c_in, h, w), name="nhwc_to_nchw(x)")
    with torch.no_grad():
        got = dense(torch.relu(conv(nchw)).flatten(1))
    t.tensor(got, to_tensor(keras_ref.small_cnn(x, ck, cb, dk, db, padding)),
             name="dense(relu(conv(nhwc_to_nchw(x))).flatten(1))", atol=1e-4, rtol=1e-4)
