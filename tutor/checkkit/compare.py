"""Tensor-aware comparisons that explain what differs, in both languages.

The order of the questions is the order a teacher would ask them: is it a
tensor at all, then shape, dtype, device, NaN, and only then the values. Each
answer names the likely mistake (broadcasting between (N,) and (N,1), float64
from numpy, an integer tensor) and never shows the reference code.
"""

from __future__ import annotations

import math

import torch

from tutor.checkkit.failures import CheckFailure

# Bound before any student code runs, so a student who monkeypatches these
# functions cannot change how their answer is judged.
_isfinite = torch.isfinite
_isnan = torch.isnan
_abs = torch.abs
_Tensor = torch.Tensor
_Parameter = torch.nn.Parameter
_as_subclass = torch.Tensor.as_subclass
_detach = torch.Tensor.detach
_to = torch.Tensor.to
_item = torch.Tensor.item
_sub = torch.sub
_add = torch.add
_mul = torch.mul
_gt = torch.gt
_eq = torch.eq
_any = torch.any
_where = torch.where
_logical_and = torch.logical_and
_logical_not = torch.logical_not


def _shape(t: torch.Size | tuple) -> str:
    return "(" + ", ".join(str(d) for d in t) + ("," if len(t) == 1 else "") + ")"


def plain_tensor(value: object, name: str) -> torch.Tensor:
    """Return `value` as a plain, detached CPU copy, or fail if it is not a tensor.

    Subclasses are refused: a subclass can override `__torch_function__` and
    pretend to equal anything.
    """
    if type(value) is not _Tensor and type(value) is not _Parameter:
        if isinstance(value, _Tensor):
            raise CheckFailure(
                ja=f"`{name}` は torch.Tensor のサブクラス ({type(value).__name__}) です。普通の torch.Tensor を返してください。",
                en=f"`{name}` is a subclass of torch.Tensor ({type(value).__name__}); return a plain torch.Tensor.",
            )
        kind = type(value).__name__
        extra_ja = extra_en = ""
        if kind == "ndarray":
            extra_ja, extra_en = "`torch.from_numpy` や `torch.tensor` で変換できます。", " Convert it with `torch.from_numpy` or `torch.tensor`."
        elif value is None:
            extra_ja, extra_en = "`return` を書き忘れていませんか。", " Did you forget `return`?"
        raise CheckFailure(
            ja=f"`{name}` は torch.Tensor ではなく {kind} です。{extra_ja}",
            en=f"`{name}` is a {kind}, not a torch.Tensor.{extra_en}",
        )
    return _detach(_as_subclass(value, _Tensor))


def check_shape(got: torch.Tensor, expected_shape: tuple, name: str) -> None:
    """Fail with a broadcasting-aware message if the shapes differ."""
    gs, es = tuple(got.shape), tuple(expected_shape)
    if gs == es:
        return
    ja = f"`{name}` の形が {_shape(gs)} になっています。{_shape(es)} にしてください。"
    en = f"`{name}` has shape {_shape(gs)} but should have shape {_shape(es)}."
    n = es[0] if es else None
    if len(es) in (1, 2) and n and gs == (n, n) and es in ((n,), (n, 1)):
        ja += "(N,) と (N,1) の間でブロードキャストが起きて (N,N) になっています。形をそろえてから計算してください。"
        en += " Broadcasting between (N,) and (N,1) produced (N,N): make the two shapes match before combining them."
    elif math.prod(gs) == math.prod(es):
        ja += "要素数は合っています。`view`/`reshape`/`squeeze`/`unsqueeze` で形を直せるかもしれません。"
        en += " The number of elements matches: `view`/`reshape`/`squeeze`/`unsqueeze` may fix the shape."
    elif len(gs) != len(es):
        ja += f"次元数 (ndim) が {len(gs)} になっています。{len(es)} にしてください。"
        en += f" It has {len(gs)} dimensions where {len(es)} are expected."
    raise CheckFailure(ja=ja, en=en)


def check_dtype(got: torch.Tensor, dtype: torch.dtype, name: str) -> None:
    """Fail if the dtype differs, naming the usual cause (numpy's float64, integer literals)."""
    if got.dtype == dtype:
        return
    g, e = str(got.dtype).replace("torch.", ""), str(dtype).replace("torch.", "")
    ja = f"`{name}` の dtype が {g} になっています。{e} にしてください。"
    en = f"`{name}` has dtype {g} but should be {e}."
    if got.dtype == torch.float64 and dtype == torch.float32:
        ja += "NumPy の配列はふつう float64 です。`dtype=torch.float32` を指定するか `.float()` で変換してください。"
        en += " NumPy arrays are float64 by default: pass `dtype=torch.float32` or call `.float()`."
    elif not got.dtype.is_floating_point and dtype.is_floating_point:
        ja += "整数だけから作ったテンソルは整数型になります。`1.0` のように書くか `dtype` を指定してください。"
        en += " A tensor built from integers only is an integer tensor: write `1.0` or pass `dtype`."
    raise CheckFailure(ja=ja, en=en)


def check_device(got: torch.Tensor, device: torch.device, name: str) -> None:
    """Fail if the tensor is on another kind of device than expected."""
    if got.device.type == torch.device(device).type:
        return
    raise CheckFailure(
        ja=f"`{name}` が {got.device} にあります。{device} に置いてください。`.to(device)` の結果を代入し忘れていませんか。",
        en=f"`{name}` is on {got.device} but should be on {device}. Did you forget to assign the result of `.to(device)`?",
    )


def check_values(got: torch.Tensor, expected: torch.Tensor, name: str, atol: float, rtol: float) -> None:
    """Fail on NaN/inf or values outside tolerance, reporting max error and first mismatch."""
    g = _to(_detach(got), "cpu", torch.float64)
    e = _to(_detach(expected), "cpu", torch.float64)
    bad_g = _logical_and(_logical_not(_isfinite(g)), _isfinite(e))
    if _item(_any(bad_g)):
        count = int(bad_g.sum())
        idx = _index(bad_g)
        kind = "NaN" if bool(_isnan(g).any()) else "inf"
        raise CheckFailure(
            ja=f"`{name}` に {kind} が {count} 個あります (最初は {idx})。学習率が大きすぎる、0 で割っている、log(0) を計算している、などを疑ってください。",
            en=f"`{name}` contains {count} {kind} value(s) (first at {idx}). Suspect a learning rate that is too large, a division by zero, or log(0).",
        )
    diff = _abs(_sub(g, e))
    diff = _where(_isfinite(e), diff, _where(_eq(g, e), 0.0, math.inf))
    bad = _gt(diff, _add(_mul(_abs(e), rtol), atol))
    if not _item(_any(bad)):
        return
    idx = _index(bad)
    at = tuple(int(i) for i in idx.strip("()").split(",") if i.strip()) if got.dim() else ()
    gv, ev = float(g[at]) if at else float(g), float(e[at]) if at else float(e)
    count, total = int(bad.sum()), bad.numel()
    raise CheckFailure(
        ja=(f"`{name}` の値が違います: {total} 個中 {count} 個がずれていて、最大誤差は {float(diff.max()):.4g} です。"
            f"最初のずれは {idx} で、{gv:.6g} になっていますが、正しくは {ev:.6g} です。"),
        en=(f"`{name}` has wrong values: {count} of {total} differ, max error {float(diff.max()):.4g}."
            f" First mismatch at {idx}: got {gv:.6g}, expected {ev:.6g}."),
    )


def _index(mask: torch.Tensor) -> str:
    if mask.dim() == 0:
        return "()"
    first = mask.nonzero()[0].tolist()
    return "(" + ", ".join(str(i) for i in first) + ("," if len(first) == 1 else "") + ")"


def check_scalar(got: object, expected: float, name: str, atol: float, rtol: float) -> float:
    """Check a Python number (or a one-element tensor); returns it as float."""
    if isinstance(got, bool) or not isinstance(got, (int, float, _Tensor)):
        raise CheckFailure(
            ja=f"`{name}` が {type(got).__name__} になっています。数値にしてください。",
            en=f"`{name}` should be a number but is a {type(got).__name__}.",
        )
    if isinstance(got, _Tensor):
        t = plain_tensor(got, name)
        if t.numel() != 1:
            raise CheckFailure(
                ja=f"`{name}` が形 {_shape(tuple(t.shape))} のテンソルになっています。1 つの数値にしてください。",
                en=f"`{name}` should be a single number but is a tensor of shape {_shape(tuple(t.shape))}.",
            )
        value = float(t.reshape(()).item())
    else:
        value = float(got)
    if math.isnan(value) or math.isinf(value):
        raise CheckFailure(ja=f"`{name}` が {value} です。", en=f"`{name}` is {value}.")
    if abs(value - expected) > atol + rtol * abs(expected):
        raise CheckFailure(
            ja=f"`{name}` が {value:.6g} になっていますが、正しくは {expected:.6g} です (差 {abs(value - expected):.3g})。",
            en=f"`{name}` is {value:.6g} but should be {expected:.6g} (off by {abs(value - expected):.3g}).",
        )
    return value
