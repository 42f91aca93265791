"""Torch-side helpers shared by the checks of lesson `tf`.

The Keras references themselves live in _keras_ref.py (NumPy only, verified
against real TensorFlow by test_tf_facts.py); this module only turns the
student's answers into numbers and compares them without raising, so that a
check can name a typical mistake before the generic comparison.
"""

import numpy as np
import torch
from torch import nn

# Bound before any student code runs.
_allclose = torch.allclose
_isfinite = torch.isfinite
_no_grad = torch.no_grad
_Tensor = torch.Tensor


def keras_array(t, *shape, scale=1.0):
    """A float32 NumPy array drawn from the run's generator, as Keras's `get_weights()` would give."""
    return (t.randn(*shape) * scale).numpy().astype(np.float32)


def as_f64(value):
    """`value` (tensor, array, number) as a float64 CPU tensor, or None if it is not numeric."""
    try:
        if isinstance(value, _Tensor):
            value = value.detach().cpu().numpy()
        arr = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 - anything that is not numbers
        return None
    return torch.from_numpy(arr)


def close(got, expected, atol=1e-4, rtol=1e-4):
    """Same shape and values (within tolerance), all finite; never raises."""
    g, e = as_f64(got), as_f64(expected)
    if g is None or e is None or tuple(g.shape) != tuple(e.shape):
        return False
    return bool(_isfinite(g).all()) and bool(_allclose(g, e, atol=atol, rtol=rtol))


def to_tensor(expected):
    """A reference (NumPy float64) as the float32 tensor the student's answer is compared with."""
    return torch.as_tensor(np.asarray(expected), dtype=torch.float64).float()


def module(t, got, name, kind=nn.Module):
    """Check that the student returned a module of the given kind; return it."""
    t.expect(isinstance(got, kind),
             ja=f"`{name}` が {type(got).__name__} を返しています。`{kind.__name__}` を返してください。",
             en=f"`{name}` should return a `{kind.__name__}` but returned a {type(got).__name__}.")
    return got


def forward(t, model, x, name):
    """Run `model(x)` without autograd; a matmul shape error is explained in terms of layouts."""
    try:
        with _no_grad():
            return model(x)
    except RuntimeError as exc:
        text = str(exc)
        if "shapes cannot be multiplied" in text or "size mismatch" in text or ("expected" in text.lower() and "channels" in text):
            t.fail(ja=f"`{name}` を入力 {tuple(x.shape)} に使うと形のエラーになりました ({text.splitlines()[0]})。重みの形 (並び順) が PyTorch の約束と合っていません。",
                   en=f"`{name}` raised a shape error on an input of shape {tuple(x.shape)} ({text.splitlines()[0]}): the weights are not laid out the way PyTorch expects.")
        raise


def param_count(model):
    return sum(p.numel() for p in model.parameters())
