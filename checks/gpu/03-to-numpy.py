"""Hidden checks for exercise 7.3 (bring results back to the CPU and NumPy).

Besides tensors on the tutor's device, the checks pass `GpuLike` tensors (see
_gpu.py): they say they live on cuda:0, and `.numpy()` refuses them with the
same message as a real CUDA tensor, while `.cpu()` gives a plain CPU tensor.
So a missing `.cpu()` is caught on a machine without a GPU.
"""

import numpy as np
import torch
from torch import nn

from tutor.checkkit import check

from _gpu import call, describe, gpu_like

_is_grad_enabled = torch.is_grad_enabled  # bound before any student code runs


def _shape(t):
    return tuple(t.rng.randint(2, 5) for _ in range(t.rng.randint(1, 3)))


def _explain(t, exc, text, in_predict=False, on_gpu=False):
    """Name the mistake behind an exception; `on_gpu`: the input was a (pretend) cuda:0 tensor."""
    msg = str(exc)
    wja, wen = ("入力が cuda:0 にあるとき、", "With the input on cuda:0, ") if on_gpu else ("", "")
    if "device type tensor to numpy" in msg or "can't convert cuda" in msg:
        t.fail(ja=f"{wja}`{text}` が GPU 上のテンソルに `.numpy()` を呼んでいます。NumPy 配列は CPU のメモリにしか置けないので、先に `.cpu()` で CPU に写します: `.detach().cpu().numpy()`。",
               en=f"{wen}`{text}` calls `.numpy()` on a GPU tensor. A NumPy array lives only in CPU memory, so copy the tensor to the CPU with `.cpu()` first: `.detach().cpu().numpy()`.")
    if "requires grad" in msg:
        extra_ja = "`predict` では、モデルを `with torch.no_grad():` の中で呼んでもかまいません。" if in_predict else ""
        extra_en = " In `predict` you may also call the model inside `with torch.no_grad():`." if in_predict else ""
        t.fail(ja=f"{wja}`{text}` が、勾配を追跡しているテンソルに `.numpy()` を呼んでいます。`.detach()` で計算グラフから切り離してから変換してください: `.detach().cpu().numpy()`。{extra_ja}",
               en=f"{wen}`{text}` calls `.numpy()` on a tensor that requires grad: cut it off the graph with `.detach()` first: `.detach().cpu().numpy()`.{extra_en}")
    t.fail(ja=f"{wja}`{text}` がエラーになりました: {describe(exc)}", en=f"{wen}`{text}` raised {describe(exc)}")


def _check_array(t, got, expected, text):
    t.mistake(isinstance(got, torch.Tensor),
              ja=f"`{text}` がテンソルのまま返しています。最後に `.numpy()` で NumPy 配列にしてください。",
              en=f"`{text}` returned a tensor: make it a NumPy array with `.numpy()` at the end.")
    t.expect(isinstance(got, np.ndarray),
             ja=f"`{text}` が {type(got).__name__} を返しています。NumPy 配列 (numpy.ndarray) を返してください。",
             en=f"`{text}` should return a NumPy array (numpy.ndarray) but returned a {type(got).__name__}.")
    t.expect(got.dtype == np.float32,
             ja=f"`{text}` の dtype が {got.dtype} になっています。float32 にしてください。途中で型を変えていませんか。",
             en=f"`{text}` has dtype {got.dtype} but should be float32. Did you convert the type on the way?")
    t.tensor(torch.from_numpy(np.array(got)), expected, name=text)


def _model(t, d, k):
    torch.manual_seed(t.seed)
    return nn.Sequential(nn.Linear(d, 6), nn.Tanh(), nn.Linear(6, k))


@check(ja="このデバイスの、勾配を追跡しているテンソルを NumPy 配列にする", en="a tensor on this device that requires grad to NumPy")
def to_numpy_here(t):
    values = t.randn(*_shape(t))
    x = values.to(t.device).requires_grad_(True)
    got, exc = call(t, "to_numpy", x)
    if exc is not None:
        _explain(t, exc, "to_numpy(t)")
    t.mistake(not x.requires_grad,
              ja="`to_numpy` が受け取ったテンソルの `requires_grad` を False に書き換えています。元のテンソルは変えずに、`.detach()` で切り離した新しいテンソルを使ってください。",
              en="`to_numpy` switched off `requires_grad` on the tensor it was given. Leave it alone: `.detach()` gives a new tensor cut off from the graph.")
    _check_array(t, got, values, "to_numpy(t)")


@check(ja="GPU 上 (cuda:0) の、勾配を追跡しているテンソルを NumPy 配列にする", en="a tensor on the GPU (cuda:0) that requires grad to NumPy")
def to_numpy_from_gpu(t):
    values = t.randn(*_shape(t))
    g = gpu_like(values, requires_grad=True)
    got, exc = call(t, "to_numpy", g)
    if exc is not None:
        _explain(t, exc, "to_numpy(t)", on_gpu=True)
    t.mistake(not g.requires_grad,
              ja="`to_numpy` が受け取ったテンソルの `requires_grad` を False に書き換えています。元のテンソルは変えずに、`.detach()` で切り離した新しいテンソルを使ってください。",
              en="`to_numpy` switched off `requires_grad` on the tensor it was given. Leave it alone: `.detach()` gives a new tensor cut off from the graph.")
    _check_array(t, got, values, "to_numpy(t)")


@check(ja="`predict`: このデバイスのモデルの出力を NumPy 配列で返す", en="`predict`: the output of a model on this device as NumPy")
def predict_here(t):
    d, k, n = t.rng.randint(2, 5), t.rng.randint(1, 4), t.rng.randint(3, 9)
    model = _model(t, d, k).to(t.device)
    x = t.randn(n, d).to(t.device)
    with torch.no_grad():
        expected = model(x).cpu()
    grad_on = []
    handle = model.register_forward_pre_hook(lambda module, inputs: grad_on.append(_is_grad_enabled()))
    try:
        got, exc = call(t, "predict", model, x)
    finally:
        handle.remove()
    if exc is not None:
        _explain(t, exc, "predict(model, x)", in_predict=True)
    t.mistake(any(grad_on),
              ja="`predict(model, x)` が勾配を記録しながら (with gradients on) モデルを計算しています。予測に勾配は要らないので、`with torch.no_grad():` の中でモデルを呼んでください。計算グラフを作らない分、メモリ (GPU ならそのメモリ) と時間が省けます。",
              en="`predict(model, x)` runs the model with gradients on. A prediction needs no gradients: call the model inside `with torch.no_grad():`, which saves the memory (GPU memory, on a GPU) and time of the graph.")
    _check_array(t, got, expected, "predict(model, x)")


@check(ja="`predict`: GPU (cuda:0) 上の出力を NumPy 配列で返す", en="`predict`: an output on the GPU (cuda:0) as NumPy")
def predict_from_gpu(t):
    d, k, n = t.rng.randint(2, 5), t.rng.randint(1, 4), t.rng.randint(3, 9)
    model = _model(t, d, k)
    values = t.randn(n, d)
    with torch.no_grad():
        expected = model(values)
    got, exc = call(t, "predict", model, gpu_like(values))
    if exc is not None:
        _explain(t, exc, "predict(model, x)", in_predict=True, on_gpu=True)
    _check_array(t, got, expected, "predict(model, x)")
